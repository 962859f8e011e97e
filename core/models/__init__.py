from .base import TimeStampedModel
from .people import Membership, MembershipQuerySet, User
from .regions import Region, RegionQuerySet

__all__ = [
    "Membership",
    "MembershipQuerySet",
    "Region",
    "RegionQuerySet",
    "TimeStampedModel",
    "User",
]
