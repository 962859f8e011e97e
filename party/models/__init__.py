from .dues import DuesPayment, DuesRemittance
from .life import (
    BranchMeeting,
    MemberAppraisal,
    RectificationItem,
    ReportAppraisal,
    ThemedPartyDay,
)
from .members import PartyMember, TrainingRecord, mask_id
from .transfers import FloatingContact, FloatingMember, TransferRecord

__all__ = [
    "BranchMeeting",
    "DuesPayment",
    "DuesRemittance",
    "FloatingContact",
    "FloatingMember",
    "MemberAppraisal",
    "PartyMember",
    "RectificationItem",
    "ReportAppraisal",
    "ThemedPartyDay",
    "TrainingRecord",
    "TransferRecord",
    "mask_id",
]
