from .base import TimeStampedModel
from .exports import ExportFormat, ExportJob, ExportState
from .people import Membership, MembershipQuerySet, User
from .regions import Region, RegionQuerySet

__all__ = [
    "ExportFormat",
    "ExportJob",
    "ExportState",
    "Membership",
    "MembershipQuerySet",
    "Region",
    "RegionQuerySet",
    "TimeStampedModel",
    "User",
]
