from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import (
    CollectiveMember,
    Household,
    PopulationFigure,
    Representative,
    VillageRules,
)


class RosterAdmin(SimpleHistoryAdmin):
    """A roster's entries are ended (a date and a reason), never deleted: every change,
    the ending included, is a line of the entry's history."""

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Household)
class HouseholdAdmin(RosterAdmin):
    list_display = ["head_name", "region", "number", "group", "members", "registered_on",
                    "ended_on"]
    list_filter = ["ended_on"]
    search_fields = ["head_name", "number", "address", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(Representative)
class RepresentativeAdmin(RosterAdmin):
    list_display = ["name", "region", "group", "elected_by", "term_start", "term_end",
                    "ended_on"]
    list_filter = ["elected_by", "ended_on"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["household"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(RosterAdmin):
    list_display = ["region", "as_of", "households", "adults", "source", "recorded_by"]
    list_filter = ["source"]
    search_fields = ["region__name"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["recorded_by"]


@admin.register(CollectiveMember)
class CollectiveMemberAdmin(RosterAdmin):
    list_display = ["name", "region", "is_representative", "joined_on", "ended_on"]
    list_filter = ["is_representative", "ended_on"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["household"]


@admin.register(VillageRules)
class VillageRulesAdmin(SimpleHistoryAdmin):
    """Versions are written by the gate when the district files them: read-only here."""

    list_display = ["region", "version", "adopted_on", "filed_on", "filing_number"]
    search_fields = ["region__name", "text"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
