"""Admin for the engine. Case changes are never made here: the gate owns them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from workflows import admin_calendar  # noqa: F401 - registers the holiday table
from workflows import params as tenant_params
from workflows.models import (
    Case,
    CaseEvent,
    Deadline,
    Notification,
    PublicityNotice,
    TenantSetting,
)
from workflows.registry import registry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("seq", "at", "actor_name", "role", "action_name", "from_step", "to_step",
              "comment", "hash")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "procedure", "region", "state", "current_step", "opened_at"]
    list_filter = ["state", "procedure"]
    search_fields = ["title"]
    list_select_related = ["region"]
    inlines = [EventInline]


@admin.register(PublicityNotice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "start", "earliest_end", "days", "working_days", "state"]
    list_filter = ["state", "working_days"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "due_at", "fired_at", "cancelled"]
    list_filter = ["kind", "cancelled"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "message", "created_at", "read_at"]


class TenantSettingForm(ModelForm):
    class Meta:
        model = TenantSetting
        fields = ["region", "procedure", "param", "value", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        spec = registry.get(data.get("procedure", ""))
        if spec is None:
            raise ValidationError({"procedure": _("没有该事项编号。")})
        param = spec.all_params().get(data.get("param", ""))
        if param is None:
            names = "、".join(f"{p.name}({p.label})" for p in spec.all_params().values())
            raise ValidationError({"param": (_("该事项可设置的参数:%(names)s")
                                             % {"names": names})})
        region = data.get("region")
        if region is not None and region.level == "village":
            raise ValidationError({"region": _("只有区或镇(街道)可以设置事项参数。")})
        if region is None:
            return data
        try:
            tenant_params.check_setting(spec, param, region, str(data.get("value", "")))
        except ValidationError as err:
            raise ValidationError({"value": err.messages}) from None
        return data


@admin.register(TenantSetting)
class TenantSettingAdmin(SimpleHistoryAdmin):
    form = TenantSettingForm
    list_display = ["region", "procedure", "param", "value", "note"]
    list_filter = ["procedure"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        messages.info(request, "设置已保存,对该单位及下级新进入的环节生效。")
