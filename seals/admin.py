from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from seals.models import Seal, SealUse


@admin.register(Seal)
class SealAdmin(SimpleHistoryAdmin):
    """A change of keeper is a line of the seal's history; a seal out of use is ended."""

    list_display = ["name", "region", "kind", "keeper", "started_on", "ended_on"]
    list_filter = ["kind", "ended_on"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "keeper"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SealUse)
class SealUseAdmin(SimpleHistoryAdmin):
    """The register is written by the gate only: read-only here."""

    list_display = ["seal", "number", "used_at", "purpose", "copies", "applicant", "approver",
                    "keeper"]
    list_filter = ["seal__kind"]
    search_fields = ["purpose", "document", "applicant"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
