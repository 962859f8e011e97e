"""The rule numbers page (规则参数): a district's organisation department and a township's
party committee and government make a procedure's numbers stricter for the places under
them — a longer window, a higher quorum, a shorter deadline — never weaker than the law,
the model text or what is set above them. Every change is kept with who made it and when
(``TenantSetting.history``) and shown on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.models import Region
from workflows import params as tenant_params
from workflows import texts
from workflows.models import TenantSetting
from workflows.registry import registry
from workflows.visibility import access_setting_region, setting_regions

HISTORY_ROWS = 30


def _rows(region: Region, errors: dict[tuple[str, str], str],
          posted: dict[str, str]) -> list[dict[str, Any]]:
    own = {(s.procedure, s.param): s for s in TenantSetting.objects.filter(region=region)}
    rows = tenant_params.settings_over(region)
    out = []
    for spec in registry.all():
        values = tenant_params.effective_all(spec, region, rows)
        params = []
        for name, param in sorted(spec.all_params().items(), key=lambda i: i[1].label):
            key = (spec.code, name)
            mine = own.get(key)
            params.append({
                **tenant_params.param_json(param, values[name]),
                "inherited": param.describe(tenant_params.inherited(spec, param, region))
                if mine else param.describe(values[name]),
                "own": mine,
                "error": errors.get(key, ""),
                "posted": posted.get("value", "") if key in errors else "",
            })
        out.append({"spec": spec, "params": params})
    return out


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    regions = setting_regions(request.user)
    if not regions:
        raise PermissionDenied
    region = access_setting_region(request.user, request.GET.get("region") or
                                   request.POST.get("region") or regions[0].pk)
    errors: dict[tuple[str, str], str] = {}
    if request.method == "POST":
        error = _save(request, region)
        if error is None:
            return redirect(f"{reverse('workflows:settings')}?region={region.pk}"
                            f"#p-{request.POST.get('procedure', '')}")
        errors[(request.POST.get("procedure", ""), request.POST.get("param", ""))] = error
    history = (TenantSetting.history.filter(region_id=region.pk)
               .select_related("history_user").order_by("-history_date")[:HISTORY_ROWS])
    return render(request, "workflows/settings.html", {
        "title": "规则参数", "region": region, "regions": regions,
        "procedures": _rows(region, errors, request.POST.dict()),
        "history": history,
    }, status=400 if errors else 200)


def _save(request: HttpRequest, region: Region) -> str | None:
    """Set or clear one number; the reason it was refused, or None."""
    spec = registry.get(request.POST.get("procedure", ""))
    param = spec.all_params().get(request.POST.get("param", "")) if spec else None
    if spec is None or param is None:
        return _("没有该事项或参数。")
    note = request.POST.get("note", "").strip()[:200]
    with transaction.atomic():
        if request.POST.get("clear"):
            TenantSetting.objects.filter(region=region, procedure=spec.code,
                                         param=param.name).delete()
            messages.success(request, _("已取消“%(param)s”的本级设置,恢复为默认或上级规定。")
                             % {"param": texts.translate(param.label)})
            return None
        raw = request.POST.get("value", "").strip()
        try:
            tenant_params.check_setting(spec, param, region, raw)
        except ValidationError as err:
            return " ".join(err.messages)
        if not note:
            return _("请填写调整的依据或说明(如文件名称、文号)。")
        TenantSetting.objects.update_or_create(
            region=region, procedure=spec.code, param=param.name,
            defaults={"value": raw, "note": note})
    messages.success(request, _("“%(param)s”已设为%(value)s,对本单位及下级新进入的环节生效。")
                     % {"param": texts.translate(param.label),
                        "value": param.describe(tenant_params.parse_value(param, raw))})
    return None


urlpatterns = [path("settings/", settings_page, name="settings")]
