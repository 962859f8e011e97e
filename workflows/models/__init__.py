from .calendar import DayKind, HolidayOverride
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
    "DayKind",
    "Deadline",
    "ExportFormat",
    "ExportJob",
    "ExportState",
    "HolidayOverride",
    "MeetingRecord",
    "Notification",
    "Objection",
    "PublicityNotice",
    "Task",
    "TenantSetting",
]
