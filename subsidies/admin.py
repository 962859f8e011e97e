from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from subsidies.models import PayoutLine, SubsidyHousehold


class ReadOnly(SimpleHistoryAdmin):
    """Written by the gate only."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SubsidyHousehold)
class SubsidyHouseholdAdmin(ReadOnly):
    list_display = ["region", "year", "seq", "name", "masked_id", "area", "rate", "amount",
                    "paid_amount", "paid_on"]
    list_filter = ["year"]
    search_fields = ["name", "region__name"]


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnly):
    list_display = ["region", "case", "seq", "name", "amount", "household"]
    search_fields = ["name"]
