from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from safety.models import (
    CorrectionActivity,
    CorrectionPerson,
    Dispute,
    Grid,
    GridIncident,
    Hazard,
    Incident,
    LegalEducationActivity,
    MediationRecord,
    Petition,
    SafetyProductionRecord,
)


@admin.register(Grid)
class GridAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "households"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["workers"]


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
