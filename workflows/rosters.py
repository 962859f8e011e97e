"""Rosters (名册): a village's own records of people and things that rules count or name.

A domain declares a :class:`RosterSpec` for each roster it owns (party members, the
villagers' representatives, households, grids, seals …) in the module its ``procedures``
package imports, and :func:`register_roster` s it. The engine then gives every roster the
same things, built from the spec alone:

- who is on it on a day (:func:`entries_on`, from the entries' own dates), and what the
  portal had recorded by the end of a day (:func:`recorded_on`, from django-simple-history:
  an entry is ended — a date and a reason — never deleted, so both can always be answered);
- the entries a ``ref`` field may name (a :class:`workflows.refs.RefSource` of the same
  code, narrowed by ``ref_filter`` words such as ``full`` or ``voting``);
- add, edit and end an entry with the engine's field checks (``workflows.fields``: every
  refusal at once), an Excel template, an import checked row by row, and an export.

Who may view and edit a village's roster is decided in ``workflows.visibility``
(``may_view_roster``, ``may_edit_roster``); the pages are ``workflows.web.rosters``.

An import writes all of its rows or none: a roster is the base of quorums and rolls, and
half an import would leave it silently wrong. Every row's problems are listed (row, column,
what is wrong) so that the file can be put right and sent again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import dates
from core.errors import RuleError
from core.idcard import mask_id
from core.models import Region, User
from core.roles import Level, Role
from workflows.fields import (
    FieldErrors,
    check_bounds,
    clean_value,
    display_value,
    label_of,
    ref_choices,
    typed_values,
    user_choices,
)
from workflows.messages import translate
from workflows.refs import RefSource, ref_source, register_ref
from workflows.registry import registry
from workflows.rendering import excel_safe
from workflows.spec import Choice, FieldSpec, FieldType, Format, field

# what an entry's own ``on_roster(day)`` answers, and the roster's pick of entries on a day
Current = Callable[[Iterable[Any], dt.date], list[Any]]
Predicate = Callable[[Any, dt.date], bool]
# domain checks of an entry about to be written: (village, entry or None, typed values)
Check = Callable[[Region, Any, Mapping[str, Any]], list[RuleError]]
# a domain's finishing touches before an entry is saved: (entry, typed values, actor)
Write = Callable[[Any, Mapping[str, Any], Any], None]

MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 2  # row 1 is the title, row 2 the headers, data from row 3


def _on_roster(entries: Iterable[Any], day: dt.date) -> list[Any]:
    return [e for e in entries if e.on_roster(day)]


@dataclass(frozen=True)
class RefFilter:
    """A word a ``ref`` field's ``ref_filter`` may say, and which entries it keeps."""

    label: str
    keep: Predicate


def end_fields(reasons: Sequence[tuple[str, Any]], *, date_label: str = "终止日期",
               reason_label: str = "终止原因") -> tuple[FieldSpec, ...]:
    """The fields asked when an entry is ended: the day (not in the future) and why."""
    return (
        field("ended_on", date_label, FieldType.DATE, max="today"),
        field("end_reason", reason_label, FieldType.CHOICE, choices=reasons),
    )


@dataclass(frozen=True)
class RosterSpec:
    """A roster of a village: its model, its columns (typed fields), who may edit it.

    ``columns`` are the engine's ``FieldSpec``s, named after the model's fields (a ``ref``
    or ``user`` column after its foreign key): the form, the import and the export are built
    from them and checked by ``workflows.fields.clean_value``. ``key`` names the columns
    that identify an entry in the village (an import updates the entry with that key).
    ``current`` picks the entries on the roster on a day (default: each entry's own
    ``on_roster(day)``). ``procedures``: whoever sees the village's cases of one of them
    may view the roster; ``editors``: the village roles that may change it.
    """

    code: str
    name: str
    entry: str  # what one entry is: "党员", "户", "村(居)民代表"
    model: type[models.Model]
    columns: tuple[FieldSpec, ...]
    procedures: tuple[str, ...]
    editors: tuple[Role, ...]
    label: Callable[[Any, dt.date], str]
    key: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)
    related: tuple[str, ...] = ()
    search: tuple[str, ...] = ("name",)
    current: Current = _on_roster
    filters: Mapping[str, RefFilter] = dc_field(default_factory=dict)
    ends: tuple[FieldSpec, ...] = ()  # empty: entries are superseded, not ended
    check: Check | None = None
    write: Write | None = None
    end: Write | None = None
    # read-only columns shown and exported after the editable ones (an import skips them)
    extra: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    # the template's example row, as a user would type it (column name -> value), or a
    # function of the village giving it (an example that names the village's own entries)
    example: Mapping[str, Any] | Callable[[Region], Mapping[str, Any]] = dc_field(
        default_factory=dict)
    basis: str = ""  # what the roster is the base of, shown on its page
    unit: str = ""  # what its count counts, when not ``entry`` ("人": applicants included)
    listed: tuple[str, ...] = ()  # the columns the list page shows (default: all)
    ref: bool = True  # fields may name its entries (a RefSource of the same code)
    level: Level = Level.VILLAGE

    @property
    def endable(self) -> bool:
        return bool(self.ends)

    def column(self, name: str) -> FieldSpec | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def shown(self) -> tuple[FieldSpec, ...]:
        """The columns of the list page."""
        if not self.listed:
            return self.columns
        return tuple(c for c in self.columns if c.name in self.listed)

    def status(self, entry: Any, day: dt.date) -> str:
        """A word about the entry on ``day`` (the first filter that keeps it)."""
        return next((f.label for f in self.filters.values() if f.keep(entry, day)), "")


_ROSTERS: dict[str, RosterSpec] = {}


def register_roster(spec: RosterSpec) -> RosterSpec:
    """Register a roster and, unless ``ref=False``, the ref source of the same code."""
    known = _ROSTERS.get(spec.code)
    if known is not None and known != spec:
        raise ValueError(f"roster {spec.code} registered twice")
    _ROSTERS[spec.code] = spec
    if spec.ref and ref_source(spec.code) is None:
        register_ref(RefSource(spec.code, spec.entry, _ref_entries(spec)))
    return spec


def all_rosters() -> list[RosterSpec]:
    registry.load()  # importing the procedures modules registers the rosters
    return list(_ROSTERS.values())


def get_roster(code: str) -> RosterSpec | None:
    registry.load()
    return _ROSTERS.get(code)


# --- who is on a roster on a day --------------------------------------------------------------


def village_entries(spec: RosterSpec, village: Region) -> models.QuerySet[Any]:
    """Every entry of the village, ended ones included, in the roster's order."""
    qs = spec.model._default_manager.filter(region=village)
    if spec.related:
        qs = qs.select_related(*spec.related)
    return qs.order_by(*spec.order, "pk")


_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _numeral(text: str) -> int:
    """一 … 九十九 as a number (十 = 10, 二十三 = 23)."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(units, 0)
                                                               if units else 0)
    return _NUMERALS.get(text, 0)


def natural(value: Any) -> Any:
    """A sort key that puts 第二党小组 before 第十党小组 and 2 before 10."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = re.sub(r"[零一二三四五六七八九十]+", lambda m: f"{_numeral(m.group()):04d}", value)
    return re.sub(r"\d+", lambda m: f"{int(m.group()):08d}", text)


def _attr(entry: Any, path: str) -> Any:
    for part in path.split("__"):
        entry = getattr(entry, part, None) if entry is not None else None
    return entry


def in_order(spec: RosterSpec, entries: list[Any]) -> list[Any]:
    """The entries in the roster's order, numbers in names read as numbers (the database
    sorts 第三 before 第二)."""
    keys = [f for f in spec.order if not f.startswith("-") and f != "pk"]
    if not keys:
        return entries
    return sorted(entries, key=lambda e: tuple(natural(_attr(e, f)) for f in keys))


def entries_on(spec: RosterSpec, village: Region, day: dt.date | None = None) -> list[Any]:
    """The entries on the village's roster on ``day`` (today by default), as its entries'
    own dates say (a start, an end, the dates of a party member's stages)."""
    return in_order(spec, spec.current(village_entries(spec, village), day or dates.today()))


def end_of(day: dt.date) -> dt.datetime:
    return dates.start_of(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)


def recorded_on(spec: RosterSpec, village: Region, day: dt.date) -> list[Any]:
    """The entries on the roster on ``day`` as the portal had them recorded at the end of
    that day (django-simple-history): what anyone could have read then."""
    history = spec.model.history  # type: ignore[attr-defined]
    qs = history.as_of(end_of(day)).filter(region_id=village.pk).order_by(*spec.order)
    found = list(qs)
    if spec.related:
        prefetch_related_objects(found, *spec.related)
    return in_order(spec, spec.current(found, day))


def narrowed(spec: RosterSpec, entries: Iterable[Any], day: dt.date, words: str) -> list[Any]:
    """``entries`` kept by any of the comma-separated filter ``words`` ("" keeps all; a word
    the roster does not know keeps none)."""
    wanted = [w.strip() for w in words.split(",") if w.strip()]
    if not wanted:
        return list(entries)
    keeps = [spec.filters[w].keep for w in wanted if w in spec.filters]
    return [e for e in entries if any(keep(e, day) for keep in keeps)]


def _ref_entries(spec: RosterSpec) -> Callable[[Region, dt.date, str], list[Choice]]:
    def entries(village: Region, day: dt.date, words: str) -> list[Choice]:
        found = narrowed(spec, entries_on(spec, village, day), day, words)
        return [Choice(str(e.pk), spec.label(e, day)) for e in found]

    return entries


def search(spec: RosterSpec, entries: Iterable[Any], q: str) -> list[Any]:
    """Entries whose searched fields contain ``q`` (ID numbers by their last digits too)."""
    text = q.strip().lower()
    if not text:
        return list(entries)
    return [e for e in entries
            if any(text in str(getattr(e, f, "") or "").lower() for f in spec.search)]


# --- names and pinyin (the choices of a ref field, filtered by ?q=) -------------------------


def _pinyin_keys(label: str) -> tuple[str, str]:
    """The initials and the whole pinyin of a label's name (what precedes "(")."""
    from pypinyin import Style, lazy_pinyin  # lazy: its dictionaries load slowly

    name = label.split("(")[0]
    full = lazy_pinyin(name)
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER)
    return "".join(initials).lower(), "".join(full).lower()


def match_choices(choices: Iterable[Choice], q: str) -> list[Choice]:
    """The choices whose label contains ``q``, or whose name's pinyin initials or whole
    pinyin do (``zs`` and ``zhangsan`` find 张三)."""
    text = re.sub(r"\s+", "", q).lower()
    if not text:
        return list(choices)
    found = []
    for c in choices:
        label = str(c.label)
        if text in label.lower() or text == c.value:
            found.append(c)
            continue
        if text.isascii():
            initials, full = _pinyin_keys(label)
            if text in initials or text in full:
                found.append(c)
    return found


# --- an entry's values ----------------------------------------------------------------------


def _person(obj: Any) -> str:
    if isinstance(obj, User):
        return obj.get_full_name()
    return str(obj)


def stored_value(column: FieldSpec, entry: Any) -> Any:
    """An entry's value of ``column`` as a form or the event log would hold it (JSON)."""
    if column.type in (FieldType.REF, FieldType.USER):
        if getattr(entry, f"{column.name}_id", None) is None:
            return None
        obj = getattr(entry, column.name)
        return {"id": str(obj.pk), "name": _person(obj)}
    value = getattr(entry, column.name)
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def entry_values(spec: RosterSpec, entry: Any) -> dict[str, Any]:
    return {c.name: stored_value(c, entry) for c in (*spec.columns, *spec.ends)}


def shown_value(column: FieldSpec, value: Any, *, masked: bool = False) -> str:
    """A stored value as people read it; an ID number masked for those who may not edit."""
    text = display_value(column, value)
    if masked and column.format == Format.ID_NUMBER and text:
        return mask_id(text)
    return text


# --- checking and writing an entry ----------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_fields(columns: Sequence[FieldSpec], raw: Mapping[str, Any], village: Region,
                 errors: list[RuleError]) -> dict[str, Any]:
    """The values of ``columns`` in ``raw`` as the engine's fields clean them; every
    refusal goes into ``errors``."""
    values: dict[str, Any] = {}
    for column in columns:
        value = raw.get(column.name)
        if _blank(value):
            if column.required and column.type != FieldType.BOOLEAN:
                errors.append(RuleError("missing_field", (_("请填写“%(label)s”。")
                                                          % {"label": label_of(column)}),
                                        field=column.name))
            elif column.type == FieldType.BOOLEAN:
                values[column.name] = False
            continue
        try:
            values[column.name] = clean_value(column, value, region=village, errors=errors)
        except FieldErrors as many:
            errors.extend(many.errors)
        except RuleError as err:
            errors.append(err)
    by_name = {c.name: c for c in columns}
    for column in columns:
        if column.name in values:
            try:
                check_bounds(column, values[column.name], values, by_name)
            except RuleError as err:
                errors.append(err)
    return values


def _key_filter(spec: RosterSpec, values: Mapping[str, Any]) -> dict[str, Any] | None:
    if not spec.key:
        return None
    out: dict[str, Any] = {}
    for name in spec.key:
        column = spec.column(name)
        value = values.get(name)
        if column is None or value is None:
            return None
        if column.type in (FieldType.REF, FieldType.USER):
            out[f"{name}_id"] = int(value["id"])
        else:
            out[name] = typed_values({name: column}, {name: value})[name]
    return out


def _live(spec: RosterSpec) -> dict[str, Any]:
    """Entries not ended (those a key must not repeat)."""
    return {"ended_on__isnull": True} if spec.endable else {}


def same_key(spec: RosterSpec, village: Region, values: Mapping[str, Any],
             entry: Any = None) -> Any:
    """The live entry of the village with the same key as ``values`` (not ``entry``)."""
    key = _key_filter(spec, values)
    if key is None:
        return None
    qs = spec.model._default_manager.filter(region=village, **key, **_live(spec))
    if entry is not None and entry.pk is not None:
        qs = qs.exclude(pk=entry.pk)
    return qs.first()


def _key_text(spec: RosterSpec, values: Mapping[str, Any]) -> str:
    parts = []
    for name in spec.key:
        column = spec.column(name)
        if column is not None:
            parts.append(_("%(label)s“%(value)s”") % {
                "label": label_of(column), "value": display_value(column, values.get(name))})
    return pgettext("list separator", "、").join(parts)


def clean_entry(spec: RosterSpec, village: Region, raw: Mapping[str, Any],
                entry: Any = None) -> dict[str, Any]:
    """The values of a new or edited entry, or every refusal at once (``FieldErrors``)."""
    errors: list[RuleError] = []
    unknown = sorted(str(k) for k in raw if spec.column(str(k)) is None)
    if unknown:
        errors.append(RuleError("unknown_field", _("不认识的字段:%(names)s。")
                                % {"names": pgettext("list separator", "、").join(unknown)},
                                field=unknown[0]))
    values = clean_fields(spec.columns, raw, village, errors)
    if not errors:
        twin = same_key(spec, village, values, entry)
        if twin is not None:
            errors.append(RuleError(
                "duplicate_entry",
                _("%(roster)s中已有%(key)s的%(entry)s(%(twin)s)。") % {
                    "roster": translate(spec.name), "key": _key_text(spec, values),
                    "entry": translate(spec.entry), "twin": twin},
                field=spec.key[0]))
    if not errors and spec.check is not None:
        errors.extend(spec.check(village, entry, typed_values(_columns(spec), values)))
    if errors:
        raise FieldErrors(errors)
    return values


def _columns(spec: RosterSpec) -> dict[str, FieldSpec]:
    return {c.name: c for c in (*spec.columns, *spec.ends)}


def _assign(spec: RosterSpec, entry: Any, columns: Iterable[FieldSpec],
            values: Mapping[str, Any]) -> None:
    typed = typed_values(_columns(spec), values)
    for column in columns:
        value = typed.get(column.name)
        if column.type in (FieldType.REF, FieldType.USER):
            setattr(entry, f"{column.name}_id", int(value["id"]) if value else None)
            continue
        model_field = entry._meta.get_field(column.name)
        if value is None or value == "":
            value = None if model_field.null else ("" if isinstance(
                model_field, models.CharField | models.TextField) else value)
        setattr(entry, column.name, value)


def _save(entry: Any, actor: Any, reason: str) -> None:
    entry._history_user = actor if getattr(actor, "pk", None) else None
    entry._change_reason = reason
    entry.save()


def save_entry(spec: RosterSpec, village: Region, values: Mapping[str, Any], *,
               actor: Any, entry: Any = None, reason: str = "名册登记") -> Any:
    """Write checked ``values`` (from :func:`clean_entry`) into a new entry or ``entry``."""
    if entry is None:
        entry = spec.model(region=village)
    _assign(spec, entry, spec.columns, values)
    if spec.write is not None:
        spec.write(entry, typed_values(_columns(spec), values), actor)
    _save(entry, actor, reason)
    return entry


def clean_end(spec: RosterSpec, village: Region, entry: Any,
              raw: Mapping[str, Any]) -> dict[str, Any]:
    """The values that end ``entry``, or every refusal at once."""
    errors: list[RuleError] = []
    if not spec.endable:
        raise RuleError("not_endable", _("%(name)s的条目不能终止,请登记新的一条。")
                        % {"name": translate(spec.name)})
    if getattr(entry, "ended_on", None) is not None:
        raise RuleError("already_ended", _("该%(entry)s已于%(day)s终止。") % {
            "entry": translate(spec.entry), "day": f"{entry.ended_on:%Y-%m-%d}"})
    values = clean_fields(spec.ends, raw, village, errors)
    ended = typed_values(_columns(spec), values).get("ended_on")
    if isinstance(ended, dt.date):
        starts = [getattr(entry, c.name) for c in spec.columns if c.type == FieldType.DATE
                  and c.name in _START_NAMES and getattr(entry, c.name, None) is not None]
        if starts and ended < max(starts):
            errors.append(RuleError(dates.DATE_ORDER, _("终止日期不能早于%(day)s。")
                                    % {"day": f"{max(starts):%Y-%m-%d}"},
                                    field="ended_on"))
    if errors:
        raise FieldErrors(errors)
    return values


# the date columns an entry starts from (an end may not come before them)
_START_NAMES = frozenset({"registered_on", "term_start", "joined_on", "set_up_on",
                          "started_on", "admission_date", "conversion_date",
                          "transferred_in_date", "as_of"})


def end_entry(spec: RosterSpec, entry: Any, values: Mapping[str, Any], *, actor: Any) -> Any:
    _assign(spec, entry, spec.ends, values)
    if spec.end is not None:
        spec.end(entry, typed_values(_columns(spec), values), actor)
    _save(entry, actor, "终止")
    return entry


# --- an entry's history -----------------------------------------------------------------------


@dataclass
class Change:
    """One line of an entry's history: when, by whom, and what changed (old → new)."""

    at: dt.datetime
    by: str
    kind: str  # 登记, 修改, 终止
    reason: str
    changes: list[tuple[str, str, str]]  # (label, old, new)


def history_of(spec: RosterSpec, entry: Any) -> list[Change]:
    """Every recorded version of ``entry``, newest first, with what each one changed."""
    columns = (*spec.columns, *spec.ends)
    records = list(entry.history.select_related("history_user").order_by("history_date",
                                                                          "history_id"))
    related = [c.name for c in columns if c.type in (FieldType.REF, FieldType.USER)]
    instances = [r.instance for r in records]
    if related:
        prefetch_related_objects(instances, *related)
    out: list[Change] = []
    previous: dict[str, str] | None = None
    for record, instance in zip(records, instances, strict=True):
        shown = {c.name: shown_value(c, stored_value(c, instance)) for c in columns}
        if previous is None:
            kind = "登记"
            changes = [(str(c.label), "", shown[c.name]) for c in spec.columns if shown[c.name]]
        else:
            changes = [(str(c.label), previous[c.name], shown[c.name]) for c in columns
                       if previous[c.name] != shown[c.name]]
            kind = "终止" if (record.history_change_reason == "终止") else "修改"
        user = record.history_user
        out.append(Change(at=record.history_date, by=user.get_full_name() if user else "",
                          kind=kind, reason=record.history_change_reason or "",
                          changes=changes))
        previous = shown
    out.reverse()
    return out


# --- Excel: template, import, export ----------------------------------------------------------


def _header(column: FieldSpec) -> str:
    return f"{column.label}*" if column.required and column.type != FieldType.BOOLEAN \
        else str(column.label)


def _header_key(text: Any) -> str:
    return re.sub(r"[\s*]", "", str(text or ""))


def _hint(column: FieldSpec, village: Region) -> str:
    t = column.type
    if column.format == Format.ID_NUMBER:
        return "18位居民身份证号码(单元格设为文本)"
    if column.format == Format.MOBILE:
        return "11位手机号码"
    if t == FieldType.DATE:
        return "日期,如 2026-03-01"
    if t == FieldType.INTEGER:
        low = 0 if column.min is None else column.min
        return f"整数(不小于{low}{f',不大于{column.max}' if column.max is not None else ''})"
    if t == FieldType.BOOLEAN:
        return "填“是”或“否”"
    if t == FieldType.CHOICE:
        return "可选:" + "、".join(str(c.label) for c in column.choices)
    if t == FieldType.REF:
        source = ref_source(column.ref or "")
        return f"本村(社区){source.name if source else ''}名册中的一项,填姓名或名称"
    if t == FieldType.USER:
        return "本村(社区)人员的姓名:" + "、".join(label for _v, label in
                                                 user_choices(column, village))
    return "文字"


def _cell_of(column: FieldSpec, value: Any, labels: Mapping[str, str]) -> Any:
    """A stored value as an Excel cell: dates as dates, choices and entries by their label."""
    if value is None or value == "":
        return None
    if column.type == FieldType.DATE:
        return dates.parse_day(value)
    if column.type == FieldType.INTEGER:
        return int(value)
    if column.type == FieldType.DECIMAL:
        return Decimal(str(value))
    if column.type in (FieldType.REF, FieldType.USER) and isinstance(value, Mapping):
        key = str(value.get("id"))
        label = labels.get(key, str(value.get("name", "")))
        if sum(1 for other in labels.values() if other == label) > 1:
            return f"{label}[{key}]"  # two entries read alike: the number tells them apart
        return label
    return excel_safe(display_value(column, value))


def _ref_labels(spec: RosterSpec, village: Region) -> dict[str, dict[str, str]]:
    """For each ref or user column: entry id -> the label a cadre picks it by."""
    out: dict[str, dict[str, str]] = {}
    for column in spec.columns:
        if column.type == FieldType.REF:
            out[column.name] = {c.value: str(c.label) for c in ref_choices(column, village)}
        elif column.type == FieldType.USER:
            out[column.name] = dict(user_choices(column, village))
    return out


def _book(spec: RosterSpec, title: str, rows: Iterable[Sequence[Any]],
          village: Region, *, with_help: bool) -> bytes:
    from openpyxl import Workbook  # lazy: only Excel downloads need it
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = spec.name[:31]
    headers = [_header(c) for c in spec.columns] + (
        [] if with_help else [label for label, _fn in spec.extra])
    width = len(headers)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 36
    sheet.append(headers)
    head_fill = PatternFill("solid", fgColor="EEF1F4")
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    last = HEADER_ROW + max(count, 1) + (500 if with_help else 0)
    for i, column in enumerate(spec.columns, 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(10, min(30, len(str(column.label)) * 2 + 6))
        if column.type == FieldType.STRING or column.format is not None:
            number_format = "@"
        elif column.type == FieldType.DATE:
            number_format = "yyyy-mm-dd"
        else:
            number_format = "General"
        for r in range(HEADER_ROW + 1, last + 1):
            sheet.cell(row=r, column=i).number_format = number_format
        options = [str(c.label) for c in column.choices] if column.type == FieldType.CHOICE \
            else (["是", "否"] if column.type == FieldType.BOOLEAN else [])
        if options and len(",".join(options)) < 250:
            check = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                   allow_blank=True)
            check.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
            sheet.add_data_validation(check)
    for j in range(len(spec.columns) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(j)].width = 16
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    if with_help:
        notes = book.create_sheet("填写说明")
        notes.append(["列", "是否必填", "怎样填写"])
        for cell in notes[1]:
            cell.font = Font(bold=True)
        for column in spec.columns:
            required = "必填" if column.required and column.type != FieldType.BOOLEAN else "选填"
            notes.append([str(column.label), required, _hint(column, village)])
        notes.append([])
        notes.append(["说明", "", "第1行为标题,第2行为表头(请勿修改),从第3行起每行一项;"
                      "第3行的示例未修改时不会导入。"])
        notes.append(["", "", "整个文件检查无误后才会导入;有错误时逐行列出,名册不作任何改动。"])
        if spec.key:
            keys = "、".join(str(c.label) for c in spec.columns if c.name in spec.key)
            notes.append(["", "", f"{keys}与名册中已有的一项相同时,更新该项;否则新增。"])
        notes.column_dimensions["A"].width = 18
        notes.column_dimensions["B"].width = 10
        notes.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def example_cells(spec: RosterSpec, village: Region) -> list[Any]:
    """The template's example row as cells (dates as dates)."""
    example = spec.example(village) if callable(spec.example) else spec.example
    out = []
    for column in spec.columns:
        value = example.get(column.name)
        if column.type == FieldType.DATE and value:
            value = dates.parse_day(value)
        elif value is not None and not isinstance(value, int | float):
            value = str(value)  # choice labels are lazy translations
        out.append(value)
    return out


def template_xlsx(spec: RosterSpec, village: Region) -> bytes:
    """The import template: a title row, the headers and one example row."""
    title = (f"{village.name}{spec.name}(导入模板):第2行为表头,请勿修改;第3行为示例,"
             f"请替换为实际数据;带*的列必填。")
    return _book(spec, title, [example_cells(spec, village)], village, with_help=True)


def export_xlsx(spec: RosterSpec, village: Region, entries: Sequence[Any], day: dt.date, *,
                masked: bool = False) -> bytes:
    """The entries as the template lays them out (it imports back unchanged)."""
    labels = _ref_labels(spec, village)
    rows = []
    for entry in entries:
        row = []
        for column in spec.columns:
            value = stored_value(column, entry)
            if masked and column.format == Format.ID_NUMBER and value:
                row.append(mask_id(str(value)))
            else:
                row.append(_cell_of(column, value, labels.get(column.name, {})))
        row.extend(excel_safe(fn(entry)) for _label, fn in spec.extra)
        rows.append(row)
    title = f"{village.name}{spec.name}({day:%Y-%m-%d}在册,共{len(rows)}项)"
    return _book(spec, title, rows, village, with_help=False)


@dataclass
class RowProblem:
    row: int  # the Excel row number (1-based, as Excel shows it)
    column: str  # the column's label ("" for the whole row)
    detail: str


@dataclass
class ImportResult:
    problems: list[RowProblem] = dc_field(default_factory=list)
    rows: list[tuple[int, dict[str, Any], Any]] = dc_field(default_factory=list)
    skipped_example: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _pick(options: Sequence[Choice], text: str) -> tuple[str | None, str]:
    """The value among ``options`` that ``text`` names: a value, a label, or the name before
    the label's "(" when only one entry has it. (None, why) when none or several do."""
    tagged = re.fullmatch(r".*\[(\w+)\]", text)
    if tagged and any(c.value == tagged.group(1) for c in options):
        return tagged.group(1), ""
    exact = [c for c in options if text in (c.value, str(c.label))]
    if len(exact) == 1 or (exact and exact[0].value == text):
        return exact[0].value, ""
    named = exact or [c for c in options if str(c.label).split("(")[0] == text]
    if len(named) == 1:
        return named[0].value, ""
    if len(named) > 1:
        return None, _("有%(n)s项都叫“%(text)s”,请写明是哪一项(如“%(example)s”):%(items)s") % {
            "n": len(named), "text": text, "example": f"{named[0].label}[{named[0].value}]",
            "items": pgettext("list separator", "、").join(
                f"{c.label}[{c.value}]" for c in named[:5])}
    return None, ""


def _raw_of(column: FieldSpec, cell: Any, options: Sequence[Choice]) -> tuple[Any, str]:
    """What a form would have sent for this cell, or why the cell cannot be read."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, ""
    t = column.type
    if t == FieldType.DATE and isinstance(cell, dt.datetime | dt.date):
        return (cell.date() if isinstance(cell, dt.datetime) else cell).isoformat(), ""
    if column.format == Format.ID_NUMBER and isinstance(cell, int | float):
        return None, _("身份证号码被Excel当作数字保存,末几位已丢失:"
                       "请将该列单元格设为“文本”后重新填写")
    if t in (FieldType.INTEGER, FieldType.DECIMAL) and isinstance(cell, int | float):
        return _text(cell), ""
    if t == FieldType.BOOLEAN:
        text = _text(cell)
        return {"是": True, "否": False}.get(text, text), ""
    text = _text(cell)
    if t in (FieldType.CHOICE, FieldType.REF, FieldType.USER):
        value, why = _pick(options, text)
        if value is None:
            return None, why or ((_("“%(text)s”不是可选的值") if t == FieldType.CHOICE
                                  else _("本村(社区)名册中没有“%(text)s”")) % {"text": text})
        return value, ""
    return text, ""


def _options(spec: RosterSpec, village: Region) -> dict[str, list[Choice]]:
    out: dict[str, list[Choice]] = {}
    for column in spec.columns:
        if column.type == FieldType.CHOICE:
            out[column.name] = list(column.choices)
        elif column.type == FieldType.REF:
            out[column.name] = ref_choices(column, village)
        elif column.type == FieldType.USER:
            out[column.name] = [Choice(v, label) for v, label in user_choices(column, village)]
    return out


def read_import(spec: RosterSpec, village: Region, upload: Any) -> ImportResult:
    """Check every row of an uploaded workbook; nothing is written (see :func:`apply_import`)."""
    from openpyxl import load_workbook  # lazy: only Excel uploads need it

    result = ImportResult()
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // 1048576
        result.problems.append(RowProblem(0, "", _("文件过大(不超过%(limit)sMB)。")
                                                 % {"limit": limit}))
        return result
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        grid = [tuple(row) for row in sheet.iter_rows(max_row=MAX_IMPORT_ROWS + HEADER_ROW + 1,
                                                     values_only=True)]
    except Exception:  # any unreadable upload is the same refusal
        result.problems.append(RowProblem(
            0, "", _("无法读取该文件:请上传由模板填写的 Excel 文件(.xlsx)。")))
        return result
    if len(grid) < HEADER_ROW:
        result.problems.append(RowProblem(0, "", _("文件中没有表头:请使用下载的模板填写。")))
        return result
    headers = [_header_key(h) for h in grid[HEADER_ROW - 1]]
    by_label = {_header_key(c.label): c for c in spec.columns}
    extras = {_header_key(label) for label, _fn in spec.extra}
    where: dict[str, int] = {}
    for i, head in enumerate(headers):
        if not head or head in extras:
            continue
        column = by_label.get(head)
        if column is None:
            result.problems.append(RowProblem(HEADER_ROW, str(grid[HEADER_ROW - 1][i]),
                                              _("不认识的列:请使用下载的模板,不要修改表头。")))
        elif column.name in where:
            result.problems.append(RowProblem(HEADER_ROW, str(column.label), _("该列出现了两次。")))
        else:
            where[column.name] = i
    for column in spec.columns:
        if column.name not in where and column.required and column.type != FieldType.BOOLEAN:
            result.problems.append(RowProblem(HEADER_ROW, str(column.label), _("缺少这一必填列。")))
    if result.problems:
        return result
    body = grid[HEADER_ROW:]
    if len(body) > MAX_IMPORT_ROWS:
        result.problems.append(RowProblem(0, "", _("一次最多导入%(n)s行,请分批导入。")
                                                 % {"n": MAX_IMPORT_ROWS}))
        return result
    options = _options(spec, village)
    labels = {c.name: str(c.label) for c in (*spec.columns, *spec.ends)}
    example = [_text(_cell_date(v)) if v is not None else ""
               for v in example_cells(spec, village)]
    seen: dict[tuple[Any, ...], int] = {}
    for offset, cells in enumerate(body):
        number = HEADER_ROW + 1 + offset
        picked = {name: cells[i] if i < len(cells) else None for name, i in where.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in picked.values()):
            continue
        as_typed = [_text(_cell_date(picked.get(c.name))) if picked.get(c.name) is not None
                    else "" for c in spec.columns]
        if offset == 0 and spec.example and as_typed == example:
            result.skipped_example = True
            continue
        raw: dict[str, Any] = {}
        row_problems: list[RowProblem] = []
        for column in spec.columns:
            if column.name not in picked:
                continue
            value, why = _raw_of(column, picked[column.name], options.get(column.name, []))
            if why:
                row_problems.append(RowProblem(number, str(column.label), why))
            elif value is not None:
                raw[column.name] = value
        unreadable = {p.column for p in row_problems}
        row_problems += _check_row(spec, village, number, raw, labels, seen, result,
                                   unreadable)
        result.problems.extend(row_problems)
    if not result.problems and not result.rows and not result.skipped_example:
        result.problems.append(RowProblem(0, "", _("文件中没有数据行。")))
    return result


def _check_row(spec: RosterSpec, village: Region, number: int, raw: Mapping[str, Any],
               labels: Mapping[str, str], seen: dict[tuple[Any, ...], int],
               result: ImportResult, unreadable: set[str]) -> list[RowProblem]:
    """One row checked as the form would check it (its cells that could not be read are
    already refused: the others are checked all the same, so that every problem of the row
    is listed at once); kept in ``result.rows`` (with the entry it updates, when its key is
    on the roster) when it passes."""
    errors: list[RuleError] = []
    values = clean_fields(spec.columns, raw, village, errors)
    if unreadable:
        return [p for p in _row_problems(number, errors, labels) if p.column not in unreadable]
    if errors:
        return _row_problems(number, errors, labels)
    twin = None
    if spec.key:
        key = tuple(str(values.get(k)) for k in spec.key)
        if key in seen:
            return [RowProblem(number, labels[spec.key[0]],
                               _("与第%(row)s行重复。") % {"row": seen[key]})]
        seen[key] = number
        twin = _existing(spec, village, values)
        if twin is not None and getattr(twin, "ended_on", None) is not None:
            return [RowProblem(number, labels[spec.key[0]],
                               _("名册中的这一项已于%(day)s终止,不能用导入恢复。")
                               % {"day": f"{twin.ended_on:%Y-%m-%d}"})]
    try:
        values = clean_entry(spec, village, raw, entry=twin)
    except FieldErrors as many:
        return _row_problems(number, many.errors, labels)
    result.rows.append((number, values, twin))
    return []


def _cell_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _existing(spec: RosterSpec, village: Region, values: Mapping[str, Any]) -> Any:
    """The entry with the row's key: a live one first, else the latest ended one."""
    key = _key_filter(spec, values)
    if key is None:
        return None
    qs = spec.model._default_manager.filter(region=village, **key)
    live = qs.filter(**_live(spec)).first()
    if live is not None or not spec.endable:
        return live
    return qs.order_by("-ended_on", "-pk").first()


def _row_problems(number: int, errors: Iterable[RuleError],
                  labels: Mapping[str, str]) -> list[RowProblem]:
    return [RowProblem(number, labels.get((err.field or "").split("[")[0].split(".")[0], ""),
                       err.detail) for err in errors]


def _same(column: FieldSpec, old: Any, new: Any) -> bool:
    if column.type in (FieldType.REF, FieldType.USER):
        if old is None or new is None:
            return old is None and new is None
        return str(old.get("id")) == str(new.get("id"))
    if column.type == FieldType.BOOLEAN:
        return bool(old) == bool(new)
    return old == new


def unchanged(spec: RosterSpec, entry: Any, values: Mapping[str, Any]) -> bool:
    """Whether writing ``values`` would change nothing of ``entry`` (an import of the
    roster's own export leaves no line in any entry's history)."""
    current = entry_values(spec, entry)
    return all(_same(c, current.get(c.name), values.get(c.name)) for c in spec.columns)


def apply_import(spec: RosterSpec, village: Region, result: ImportResult, *,
                 actor: Any) -> ImportResult:
    """Write every checked row in one transaction (nothing when any row was refused)."""
    if not result.ok:
        return result
    with transaction.atomic():
        for _number, values, entry in result.rows:
            if entry is not None:
                if unchanged(spec, entry, values):
                    result.unchanged += 1
                    continue
                save_entry(spec, village, values, actor=actor, entry=entry, reason="Excel导入")
                result.updated += 1
            else:
                save_entry(spec, village, values, actor=actor, reason="Excel导入")
                result.created += 1
    return result


def today_or(raw: Any) -> dt.date:
    """The day a page asks for (``?day=``), today when absent or not a date."""
    day = dates.parse_day(raw) if raw else None
    return day if day is not None and day.year >= 1900 else dates.today()


__all__ = [
    "ImportResult",
    "RefFilter",
    "RosterSpec",
    "RowProblem",
    "all_rosters",
    "apply_import",
    "clean_end",
    "clean_entry",
    "end_entry",
    "end_fields",
    "entries_on",
    "entry_values",
    "export_xlsx",
    "get_roster",
    "history_of",
    "match_choices",
    "narrowed",
    "read_import",
    "recorded_on",
    "register_roster",
    "save_entry",
    "template_xlsx",
]
