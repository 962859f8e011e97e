"""The roster pages (名册): a village's rosters, an entry's history, add / edit / end an entry,
the Excel template, import and export. Thin: ``visibility.access_roster`` (404 for another
village's roster), ``workflows.rosters`` for everything a roster does.

Who may read a roster and who may change it is ``visibility.may_view_roster`` and
``may_edit_roster``; a reader who may not edit sees ID numbers masked, in the page and in
the export, and gets 403 on the pages that change the roster.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core import dates
from core.downloads import name_download
from core.errors import RuleError
from core.idcard import mask_id
from core.models import Region
from workflows import rosters as r
from workflows.fields import FieldErrors, ref_choices, user_choices
from workflows.messages import translate
from workflows.rosters import RosterSpec
from workflows.spec import FieldSpec, FieldType, Format
from workflows.visibility import (
    access_roster,
    may_edit_roster,
    roster_villages,
    visible_rosters,
)

PAGE_SIZE = 50


def _day(request: HttpRequest) -> dt.date:
    return r.today_or(request.GET.get("day"))


def _errors(err: RuleError) -> list[RuleError]:
    return list(err.errors) if isinstance(err, FieldErrors) else [err]


def _widgets(spec: RosterSpec, columns: tuple[FieldSpec, ...], village: Region,
             values: dict[str, Any], errors: list[RuleError]) -> list[dict[str, Any]]:
    """The inputs of a form of ``columns``: value so far, choices, the errors of each."""
    by_field: dict[str, list[str]] = {}
    for err in errors:
        by_field.setdefault((err.field or "").split("[")[0], []).append(err.detail)
    rows = []
    for column in columns:
        value = values.get(column.name)
        if isinstance(value, dict):
            value = value.get("id", "")
        row: dict[str, Any] = {
            "name": column.name, "label": column.label, "type": str(column.type),
            "required": column.required and column.type != FieldType.BOOLEAN,
            "help": column.help, "value": "" if value is None else value,
            "errors": by_field.get(column.name, []), "id": f"f-{column.name}",
            "max_length": column.max_length or 200,
        }
        if column.type == FieldType.CHOICE:
            row["choices"] = [{"value": c.value, "label": c.label} for c in column.choices]
        elif column.type == FieldType.REF:
            row["choices"] = [{"value": c.value, "label": c.label}
                              for c in ref_choices(column, village)]
        elif column.type == FieldType.USER:
            row["choices"] = [{"value": v, "label": label}
                              for v, label in user_choices(column, village)]
        if column.type in (FieldType.CHOICE, FieldType.REF, FieldType.USER):
            row["value"] = str(row["value"])
        if column.format is not None:
            row["format"] = str(column.format)
        rows.append(row)
    return rows


def _posted(columns: tuple[FieldSpec, ...], request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in columns:
        if column.type == FieldType.BOOLEAN:
            out[column.name] = column.name in request.POST
            continue
        value = request.POST.get(column.name, "")
        if value.strip():
            out[column.name] = value
    return out


def _urls(spec: RosterSpec, village: Region) -> dict[str, str]:
    args = [spec.code, village.pk]
    return {name: reverse(f"workflows:roster_{name}", args=args)
            for name in ("page", "add", "import", "template", "export")}


def _context(request: HttpRequest, spec: RosterSpec, village: Region,
             **extra: Any) -> dict[str, Any]:
    return {"spec": spec, "village": village, "urls": _urls(spec, village),
            "can_edit": may_edit_roster(request.user, spec, village), **extra}


def _require_edit(request: HttpRequest, spec: RosterSpec, village: Region) -> None:
    if not may_edit_roster(request.user, spec, village):
        raise PermissionDenied


def _entry(spec: RosterSpec, village: Region, pk: int) -> Any:
    entry = r.village_entries(spec, village).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


# --- the rosters of a village ---------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The rosters of the villages the user sees, one village at a time."""
    villages = roster_villages(request.user)
    if not villages:
        raise Http404
    chosen = next((v for v in villages if str(v.pk) == request.GET.get("region")), villages[0])
    today = dates.today()
    cards = []
    for spec in visible_rosters(request.user, chosen):
        entries = r.entries_on(spec, chosen, today)
        parts = [(f.label, n) for f in spec.filters.values()
                 if (n := sum(1 for e in entries if f.keep(e, today)))]
        cards.append({"spec": spec, "count": len(entries), "parts": parts[:3],
                      "urls": _urls(spec, chosen),
                      "can_edit": may_edit_roster(request.user, spec, chosen)})
    return render(request, "workflows/rosters/index.html", {
        "title": "名册", "villages": villages, "chosen": chosen, "cards": cards, "today": today,
    })


@login_required
def page(request: HttpRequest, code: str, region: int) -> HttpResponse:
    """The entries on a roster on a chosen day (today by default): searched, paged."""
    spec, village = access_roster(request.user, code, region)
    day = _day(request)
    recorded = request.GET.get("as") == "recorded"
    entries = r.recorded_on(spec, village, day) if recorded else r.entries_on(spec, village, day)
    word = request.GET.get("filter", "")
    if word in spec.filters:
        entries = r.narrowed(spec, entries, day, word)
    q = request.GET.get("q", "")[:50]
    entries = r.search(spec, entries, q)
    paged = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    can_edit = may_edit_roster(request.user, spec, village)
    rows = []
    for entry in paged.object_list:
        values = r.entry_values(spec, entry)
        rows.append({
            "pk": entry.pk,
            "cells": [r.shown_value(c, values.get(c.name), masked=not can_edit)
                      for c in spec.shown],
            "extra": [fn(entry) for _label, fn in spec.extra],
            "status": spec.status(entry, day) if spec.filters else "",
            "ended": getattr(entry, "ended_on", None),
        })
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workflows/rosters/page.html", _context(
        request, spec, village, title=f"{village.name}{spec.name}", day=day,
        today=dates.today(), recorded=recorded, q=q, word=word, rows=rows, paged=paged,
        total=len(entries), query=query.urlencode(),
        headers=[c.label for c in spec.shown] + [label for label, _fn in spec.extra],
        filters=[{"word": w, "label": f.label} for w, f in spec.filters.items()],
    ))


@login_required
def entry(request: HttpRequest, code: str, region: int, pk: int) -> HttpResponse:
    """An entry as it stands, and every change of it (who, when, what)."""
    spec, village = access_roster(request.user, code, region)
    found = _entry(spec, village, pk)
    can_edit = may_edit_roster(request.user, spec, village)
    values = r.entry_values(spec, found)
    facts = [(c.label, r.shown_value(c, values.get(c.name), masked=not can_edit))
             for c in (*spec.columns, *spec.ends) if values.get(c.name) not in (None, "")]
    facts += [(label, fn(found)) for label, fn in spec.extra]
    history = r.history_of(spec, found)
    if not can_edit:
        masked = {str(c.label) for c in spec.columns if c.format == Format.ID_NUMBER}
        for change in history:
            change.changes = [(label, mask_id(old) if label in masked else old,
                               mask_id(new) if label in masked else new)
                              for label, old, new in change.changes]
    return render(request, "workflows/rosters/entry.html", _context(
        request, spec, village, title=f"{spec.entry}:{found}", entry=found, facts=facts,
        history=history, label=spec.label(found, dates.today()),
        ended=getattr(found, "ended_on", None),
    ))


# --- add, edit, end ---------------------------------------------------------------------------


def _form(request: HttpRequest, spec: RosterSpec, village: Region, found: Any) -> HttpResponse:
    errors: list[RuleError] = []
    if request.method == "POST":
        raw = _posted(spec.columns, request)
        try:
            values = r.clean_entry(spec, village, raw, entry=found)
            with transaction.atomic():
                saved = r.save_entry(spec, village, values, actor=request.user, entry=found)
        except RuleError as err:
            errors = _errors(err)
            shown: dict[str, Any] = raw
        else:
            messages.success(request, f"已保存:{saved}。")
            return redirect("workflows:roster_entry", spec.code, village.pk, saved.pk)
    else:
        shown = r.entry_values(spec, found) if found is not None else {}
    return render(request, "workflows/rosters/form.html", _context(
        request, spec, village, title=(f"修改{spec.entry}:{found}" if found is not None
                                       else f"登记{spec.entry}"),
        entry=found, fields=_widgets(spec, spec.columns, village, shown, errors),
        errors=errors, submit="保存",
    ), status=400 if errors else 200)


@login_required
def add(request: HttpRequest, code: str, region: int) -> HttpResponse:
    spec, village = access_roster(request.user, code, region)
    _require_edit(request, spec, village)
    return _form(request, spec, village, None)


@login_required
def edit(request: HttpRequest, code: str, region: int, pk: int) -> HttpResponse:
    spec, village = access_roster(request.user, code, region)
    _require_edit(request, spec, village)
    found = _entry(spec, village, pk)
    if getattr(found, "ended_on", None) is not None:
        messages.error(request, _("该%(entry)s已于%(day)s终止,不能再修改。") % {
            "entry": translate(spec.entry), "day": f"{found.ended_on:%Y-%m-%d}"})
        return redirect("workflows:roster_entry", spec.code, village.pk, found.pk)
    return _form(request, spec, village, found)


@login_required
def end(request: HttpRequest, code: str, region: int, pk: int) -> HttpResponse:
    """End an entry: the day and why (the entry stays, with its history)."""
    spec, village = access_roster(request.user, code, region)
    _require_edit(request, spec, village)
    if not spec.endable:
        raise Http404
    found = _entry(spec, village, pk)
    errors: list[RuleError] = []
    shown: dict[str, Any] = {"ended_on": dates.today().isoformat()}
    if request.method == "POST":
        shown = _posted(spec.ends, request)
        try:
            values = r.clean_end(spec, village, found, shown)
            with transaction.atomic():
                r.end_entry(spec, found, values, actor=request.user)
        except RuleError as err:
            errors = _errors(err)
        else:
            messages.success(request, f"已终止:{found}。名册保留其记录和全部历史。")
            return redirect("workflows:roster_page", spec.code, village.pk)
    return render(request, "workflows/rosters/form.html", _context(
        request, spec, village, title=f"终止{spec.entry}:{found}", entry=found,
        fields=_widgets(spec, spec.ends, village, shown, errors), errors=errors,
        submit="确认终止", ending=True,
    ), status=400 if errors else 200)


# --- Excel -------------------------------------------------------------------------------------


def _xlsx(body: bytes, name: str, fallback: str) -> HttpResponse:
    """An Excel download named in Chinese, with an ASCII name for old clients."""
    response = HttpResponse(body, content_type=r.XLSX)
    name_download(response, name, fallback)
    return response


@login_required
def template(request: HttpRequest, code: str, region: int) -> HttpResponse:
    spec, village = access_roster(request.user, code, region)
    _require_edit(request, spec, village)
    return _xlsx(r.template_xlsx(spec, village), f"{village.name}{spec.name}导入模板.xlsx",
                 f"{spec.code}-template-{village.code}.xlsx")


@login_required
def export(request: HttpRequest, code: str, region: int) -> HttpResponse:
    spec, village = access_roster(request.user, code, region)
    day = _day(request)
    entries = r.entries_on(spec, village, day)
    can_edit = may_edit_roster(request.user, spec, village)
    body = r.export_xlsx(spec, village, entries, day, masked=not can_edit)
    stamp = f"{day:%Y%m%d}"
    return _xlsx(body, f"{village.name}{spec.name}-{stamp}.xlsx",
                 f"{spec.code}-{village.code}-{stamp}.xlsx")


@login_required
def import_(request: HttpRequest, code: str, region: int) -> HttpResponse:
    """Upload a filled template: every row checked; written only when every row passes."""
    spec, village = access_roster(request.user, code, region)
    _require_edit(request, spec, village)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            result = r.ImportResult(
                problems=[r.RowProblem(0, "", _("请选择要导入的 Excel 文件。"))])
        else:
            result = r.read_import(spec, village, upload)
            if result.ok:
                r.apply_import(spec, village, result, actor=request.user)
    return render(request, "workflows/rosters/import.html", _context(
        request, spec, village, title=f"导入{spec.name}", result=result,
    ), status=400 if result is not None and not result.ok else 200)


# included by workflows.web.urls (namespace "workflows")
urlpatterns = [
    path("rosters/", index, name="rosters"),
    path("rosters/<str:code>/<int:region>/", page, name="roster_page"),
    path("rosters/<str:code>/<int:region>/add/", add, name="roster_add"),
    path("rosters/<str:code>/<int:region>/import/", import_, name="roster_import"),
    path("rosters/<str:code>/<int:region>/template.xlsx", template, name="roster_template"),
    path("rosters/<str:code>/<int:region>/export.xlsx", export, name="roster_export"),
    path("rosters/<str:code>/<int:region>/<int:pk>/", entry, name="roster_entry"),
    path("rosters/<str:code>/<int:region>/<int:pk>/edit/", edit, name="roster_edit"),
    path("rosters/<str:code>/<int:region>/<int:pk>/end/", end, name="roster_end"),
]
