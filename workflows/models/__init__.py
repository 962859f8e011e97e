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

__all__ = [
    "Alert",
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "CaseUserObjectPermission",
    "DayKind",
    "Deadline",
    "HolidayOverride",
    "MeetingRecord",
    "Notification",
    "Objection",
    "PublicityNotice",
    "Task",
    "TenantSetting",
]
