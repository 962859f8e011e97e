from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import VillageRules


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
