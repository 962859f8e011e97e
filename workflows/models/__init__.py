from .anchors import ChainDigest
from .calendar import DayKind, HolidayOverride, HolidayYear
from .cases import (
    Alert,
    Attachment,
    Case,
    CaseEvent,
    CaseQuerySet,
    CaseUserObjectPermission,
    Deadline,
    MeetingRecord,
    Notification,
    Objection,
    PublicityNotice,
    Task,
    TenantSetting,
)
from .exports import ExportFormat, ExportJob, ExportState
from .pending import PendingUpload
from .stats import CaseMonthTally, CaseTally, ChainCheck

__all__ = [
    "Alert",
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseMonthTally",
    "CaseQuerySet",
    "CaseTally",
    "CaseUserObjectPermission",
    "ChainCheck",
    "ChainDigest",
    "DayKind",
    "Deadline",
    "ExportFormat",
    "ExportJob",
    "ExportState",
    "HolidayOverride",
    "HolidayYear",
    "MeetingRecord",
    "Notification",
    "Objection",
    "PendingUpload",
    "PublicityNotice",
    "Task",
    "TenantSetting",
]
