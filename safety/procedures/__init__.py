"""The safety procedures (07–10) and the periodic checks that watch their registers."""

from safety import rosters
from safety.effects.correction import check_daily_check_ins
from safety.effects.education import check_legal_education
from safety.effects.emergency import check_unreported_emergencies
from safety.effects.grid import check_unreported_grid_incidents
from safety.effects.hazards import check_overdue_hazards
from safety.procedures import correction, disputes, education, emergency, grid, hazards
from workflows.sweep import register_check

for _check in (check_daily_check_ins, check_unreported_grid_incidents, check_legal_education,
               check_unreported_emergencies, check_overdue_hazards):
    register_check(_check)

__all__ = ["correction", "disputes", "education", "emergency", "grid", "hazards", "rosters"]
