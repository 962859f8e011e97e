from .roster import PayoutLine, SubsidyHousehold

__all__ = ["PayoutLine", "SubsidyHousehold"]
