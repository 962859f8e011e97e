"""The registers are written by the gate only: read-only in the admin, with their history."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from party.models import (
    BranchMeeting,
    DuesPayment,
    DuesRemittance,
    FloatingContact,
    FloatingMember,
    MemberAppraisal,
    PartyMember,
    RectificationItem,
    ReportAppraisal,
    ThemedPartyDay,
    TrainingRecord,
    TransferRecord,
)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(PartyMember)
class PartyMemberAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "region", "status", "party_group", "admission_date", "floating"]
    list_filter = ["status", "floating", "source"]
    search_fields = ["name", "region__name"]


for _model in (TrainingRecord, DuesPayment, DuesRemittance, TransferRecord, FloatingMember,
               FloatingContact, BranchMeeting, ReportAppraisal, ThemedPartyDay,
               RectificationItem, MemberAppraisal):
    admin.site.register(_model, ReadOnlyHistoryAdmin)
