from .matters import MajorMatter
from .rosters import CollectiveMember, Household, PopulationFigure, Representative
from .rules import VillageRules

__all__ = ["CollectiveMember", "Household", "MajorMatter", "PopulationFigure",
           "Representative", "VillageRules"]
