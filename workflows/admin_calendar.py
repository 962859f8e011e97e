"""Admin for the holiday table, warning when this or next year's holidays are missing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from workflows.calendar import missing_holiday_years
from workflows.models import HolidayOverride, HolidayYear


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None
                        ) -> HttpResponse:
        for year in missing_holiday_years():
            messages.warning(
                request,
                f"尚未录入{year}年的法定节假日和调休安排,按工作日计算的期限将按周一至周五处理,"
                "请根据国务院办公厅通知及时补充。",
            )
        return super().changelist_view(request, extra_context)


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """A year confirmed complete: every holiday and make-up day of it entered."""

    list_display = ["year", "notice", "confirmed_at"]
