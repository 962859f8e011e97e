from .rules import VillageRules

__all__ = ["VillageRules"]
