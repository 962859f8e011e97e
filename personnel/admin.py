from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from personnel.models import Appointee, Delegate, JointVetting


class ReadOnly(SimpleHistoryAdmin):
    """Written by the gate only."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Appointee)
class AppointeeAdmin(ReadOnly):
    list_display = ["region", "procedure", "track", "name", "masked_id", "post", "vetting",
                    "state", "start_on", "end_on"]
    list_filter = ["procedure", "track", "vetting", "state"]
    search_fields = ["name", "region__name"]


@admin.register(JointVetting)
class JointVettingAdmin(ReadOnly):
    list_display = ["region", "case", "vetted_on", "result", "vetted_by"]
    list_filter = ["result"]


@admin.register(Delegate)
class DelegateAdmin(SimpleHistoryAdmin):
    """The delegates of the women's and league congresses: ended, never deleted."""

    list_display = ["region", "congress", "name", "term_start", "term_end", "ended_on"]
    list_filter = ["congress", "region"]
    search_fields = ["name", "region__name"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
