"""03 村级重大事项决策: importing this package registers 03.1 and 03.2.

``common`` holds what both share (the deliberating and deciding bodies and their
rules); ``four_and_two`` is 03.1 四议两公开, ``village_rules`` 03.2 村规民约.
"""

from decisions import rolls, rosters
from decisions.procedures.common import (
    COLLECTIVE_MEETING,
    HOUSEHOLDS_MEETING,
    MEMBERS_MEETING,
    MINUTES,
    REPRESENTATIVES_MEETING,
    VILLAGERS_MEETING,
)
from decisions.procedures.four_and_two import DECIDING_BODIES, FOUR_AND_TWO, MATTERS
from decisions.procedures.village_rules import (
    GUIDANCE_FIELDS,
    REQUIRED_GUIDANCE,
    RULES_BODIES,
    VILLAGE_RULES,
)

__all__ = [
    "COLLECTIVE_MEETING",
    "DECIDING_BODIES",
    "FOUR_AND_TWO",
    "GUIDANCE_FIELDS",
    "HOUSEHOLDS_MEETING",
    "MATTERS",
    "MEMBERS_MEETING",
    "MINUTES",
    "REPRESENTATIVES_MEETING",
    "REQUIRED_GUIDANCE",
    "RULES_BODIES",
    "VILLAGERS_MEETING",
    "VILLAGE_RULES",
    "rolls",
    "rosters",
]
