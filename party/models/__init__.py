from .dues import DuesPayment, DuesRemittance
from .life import (
    BranchMeeting,
    MemberAppraisal,
    RectificationItem,
    ReportAppraisal,
    ThemedPartyDay,
)
from .members import PartyMember, TrainingRecord, mask_id
from .pool import PoolAnalysis
from .transfers import FloatingContact, FloatingMember, TransferRecord

__all__ = [
    "BranchMeeting",
    "DuesPayment",
    "DuesRemittance",
    "FloatingContact",
    "FloatingMember",
    "MemberAppraisal",
    "PartyMember",
    "PoolAnalysis",
    "RectificationItem",
    "ReportAppraisal",
    "ThemedPartyDay",
    "TrainingRecord",
    "TransferRecord",
    "mask_id",
]
