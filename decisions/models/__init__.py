from .rosters import CollectiveMember, Household, PopulationFigure, Representative
from .rules import VillageRules

__all__ = ["CollectiveMember", "Household", "PopulationFigure", "Representative",
           "VillageRules"]
