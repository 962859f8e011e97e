"""The party procedures (01 党员管理, 02 党的组织生活制度), their registers and checks."""

from party import registers, rolls, rosters
from party.checks import (
    check_branch_meetings,
    check_dues_arrears,
    check_floating_contacts,
    check_pool_analysis,
    check_yearly_life,
)
from party.procedures import dues, life, recruitment, transfers
from workflows.sweep import register_check

register_check(check_branch_meetings)
register_check(check_floating_contacts)
register_check(check_dues_arrears)
register_check(check_yearly_life)
register_check(check_pool_analysis)

__all__ = ["dues", "life", "recruitment", "registers", "rolls", "rosters", "transfers"]
