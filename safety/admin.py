from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from safety.models import (
    CorrectionActivity,
    CorrectionPerson,
    Dispute,
    Grid,
    GridIncident,
    GridWorker,
    Hazard,
    Incident,
    LegalEducationActivity,
    MediationRecord,
    Petition,
    SafetyProductionRecord,
)


class RosterAdmin(SimpleHistoryAdmin):
    """A roster's entries are ended (a date and a reason), never deleted: every change,
    the ending included, is a line of the entry's history."""

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Grid)
class GridAdmin(RosterAdmin):
    list_display = ["name", "region", "households", "set_up_on", "ended_on"]
    list_filter = ["ended_on"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(GridWorker)
class GridWorkerAdmin(RosterAdmin):
    list_display = ["name", "grid", "region", "kind", "mobile", "started_on", "ended_on"]
    list_filter = ["kind", "ended_on"]
    search_fields = ["name", "grid__name", "region__name"]
    autocomplete_fields = ["region", "user"]
    raw_id_fields = ["grid"]


class ReadOnlyRegister(SimpleHistoryAdmin):
    """Registers are written by the gate only: read-only here."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyRegister):
    list_display = ["number", "region", "kind", "source", "gravity", "state"]
    list_filter = ["kind", "source", "gravity", "state"]


@admin.register(MediationRecord)
class MediationRecordAdmin(ReadOnlyRegister):
    list_display = ["dispute", "held_on", "means", "mediator"]


@admin.register(Petition)
class PetitionAdmin(ReadOnlyRegister):
    list_display = ["number", "region", "petitioner", "received_on", "state", "due_on"]
    list_filter = ["state", "channel"]
    search_fields = ["number", "petitioner"]


@admin.register(CorrectionPerson)
class CorrectionPersonAdmin(ReadOnlyRegister):
    list_display = ["name", "region", "start", "end", "state"]
    list_filter = ["state"]


@admin.register(CorrectionActivity)
class CorrectionActivityAdmin(ReadOnlyRegister):
    list_display = ["person", "kind", "on", "detail", "recorded_by"]
    list_filter = ["kind"]


@admin.register(GridIncident)
class GridIncidentAdmin(ReadOnlyRegister):
    list_display = ["number", "region", "grid", "kind", "gravity", "found_at", "reported_at"]
    list_filter = ["kind", "gravity", "state"]


@admin.register(LegalEducationActivity)
class LegalEducationActivityAdmin(ReadOnlyRegister):
    list_display = ["held_on", "region", "kind", "topic", "participants"]
    list_filter = ["kind"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyRegister):
    list_display = ["occurred_at", "region", "category", "location", "reported_at",
                    "late_report", "stage"]
    list_filter = ["category", "late_report", "stage"]


@admin.register(Hazard)
class HazardAdmin(ReadOnlyRegister):
    list_display = ["number", "region", "location", "gravity", "rectify_by", "state"]
    list_filter = ["state", "gravity"]


@admin.register(SafetyProductionRecord)
class SafetyProductionRecordAdmin(ReadOnlyRegister):
    list_display = ["on", "region", "kind", "recorded_by"]
    list_filter = ["kind"]
