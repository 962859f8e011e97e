"""The demo scenario: cases in every state, read from ``fixtures/demo_scenario.json`` and
made through the engine's one gate, each step at its scripted time, so that every chain
verifies and every rule holds (``seed_demo`` loads it; the tests' ``demo`` fixture does not).

The file is data: for each case its procedure, title, how many days ago it was opened and
its steps — an action (the usual way forward unless named) with the values its rules need,
a return (退回) with its reason, a sweep of deadlines — each some time after the one
before. Every other field gets a value made from its schema as the API describes it
(contract 5), as a client following the schema would send it. The engine reads the time
only through ``django.utils.timezone.now()`` (contract 3): the loader sets that clock to
each step's moment. A case is known by its village and title: one already there is left
as it is, so a second load adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from core.errors import RuleError
from core.models import Membership, Region, User
from portal.demo import PLACES, Place
from workflows import gate
from workflows.acting import acting_region, available_actions, can_return
from workflows.choices import NoticeState
from workflows.models import Case, Task
from workflows.registry import registry
from workflows.serializers import field_json
from workflows.spec import ActionSpec, Kind
from workflows.sweep import sweep

SCENARIO = Path(settings.BASE_DIR) / "fixtures" / "demo_scenario.json"
_REAL_NOW = timezone.now
_SPAN = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_TODAY = re.compile(r"^today([+-]\d+)?$")


class ScenarioError(Exception):
    """A scripted step the engine refused, or a script that runs past the present."""


# --- the clock --------------------------------------------------------------------------------


class Clock:
    """A settable ``django.utils.timezone.now`` (also for the model fields whose default is
    that function, which hold it from before it was patched)."""

    def __init__(self) -> None:
        self.at: dt.datetime = _REAL_NOW()

    def now(self) -> dt.datetime:
        return self.at

    def move(self, moment: dt.datetime) -> None:
        if moment > _REAL_NOW():
            raise ScenarioError(f"the script runs past the present ({moment:%Y-%m-%d %H:%M})")
        self.at = moment


@contextmanager
def scripted_clock() -> Iterator[Clock]:
    clock = Clock()
    fields = [f for model in apps.get_models() for f in model._meta.concrete_fields
              if f.default is _REAL_NOW]
    for f in fields:
        f.default = clock.now
        f.__dict__.pop("_get_default", None)  # a cached_property that holds the old default
    try:
        with mock.patch("django.utils.timezone.now", clock.now):
            yield clock
    finally:
        for f in fields:
            f.default = _REAL_NOW
            f.__dict__.pop("_get_default", None)


# --- values made from a field's schema ----------------------------------------------------------


def _file(accept: list[str]) -> SimpleUploadedFile:
    """A one-page scan (PDF when the field takes one, else a PNG photo), drawn by Pillow."""
    out = io.BytesIO()
    pdf = "application/pdf" in accept
    Image.new("RGB", (40, 40), (235, 235, 225)).save(out, "PDF" if pdf else "PNG")
    name, kind = ("扫描件.pdf", "application/pdf") if pdf else ("现场照片.png", "image/png")
    return SimpleUploadedFile(name, out.getvalue(), content_type=kind)


def _bounded(value: str, schema: Mapping[str, Any], *, size: int) -> str:
    """An ISO value (a date, a date-time, a month: ``size`` characters) within the schema's
    ``min`` and ``max``."""
    if schema.get("max"):
        value = min(value, str(schema["max"])[:size])
    if schema.get("min"):
        value = max(value, str(schema["min"])[:size])
    return value


def _text(schema: Mapping[str, Any]) -> str:
    fixed = {"id_number": "330225198805160011", "mobile": "13905741234",
             "uscc": "91330200MA2A1B2C30"}
    if schema.get("format") in fixed:
        return fixed[schema["format"]]
    words = f"{schema['label']}:情况属实,同意。" if schema["type"] == "text" else schema["label"]
    pattern = schema.get("pattern")
    if pattern and not re.fullmatch(pattern, words):
        tries = ("1", "2026-01", "第1号", "A1", "13905741234")
        words = next((w for w in tries if re.fullmatch(pattern, w)), words)
    return words[: schema.get("max_length") or len(words)]


def _meeting(schema: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Everyone on the roll present and voting yes, held today (the latest allowed)."""
    roll = schema.get("roll")
    if not roll:
        by = schema["roll_by"]
        rolls = by["rolls"]
        chosen = values.get(by["field"])
        roll = rolls.get(str(chosen)) or next(iter(rolls.values()))
    day = timezone.localdate().isoformat()
    out: dict[str, Any] = {"held_at": _bounded(day, schema.get("held_at", {}), size=10),
                           "due": roll["due"], "minutes": "会议记录已整理归档。"}
    if "members" in roll:
        out["attendees"] = [m["value"] for m in roll["members"]]
    else:
        out["present"] = roll["due"]
    if roll.get("votes", True):
        out.update(yes=roll["due"], no=0, abstain=0)
    return out


def _value(schema: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    kind = schema["type"]
    choices = [c["value"] for c in schema.get("choices", [])]
    if kind in ("string", "text"):
        return _text(schema)
    if kind in ("integer", "decimal"):
        low, high = schema.get("min"), schema.get("max")
        number = max(1, int(float(low))) if low is not None else 1
        number = min(number, int(float(high))) if high is not None else number
        return number if kind == "integer" else f"{number}.00"
    if kind == "date":
        day = _bounded(timezone.localdate().isoformat(), schema, size=10)
        after = values.get(schema.get("after") or "")
        return max(day, str(after)[:10]) if after else day
    if kind == "datetime":
        return _bounded(timezone.localtime().replace(microsecond=0).isoformat(), schema,
                        size=25)
    if kind == "month":
        return _bounded(f"{timezone.localdate():%Y-%m}", schema, size=7)
    if kind == "boolean":
        return True
    if kind in ("choice", "user", "ref"):
        return choices[0] if choices else None
    if kind == "multichoice":
        return choices[: max(1, schema.get("min_items") or 0)]
    if kind == "table":
        rows = max(1, schema.get("min_rows") or 0)
        return [_fill(schema["columns"], {})[0] for _ in range(rows)]
    return None


def _fill(fields: Sequence[Mapping[str, Any]], given: Mapping[str, Any]
          ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values and files of an action: ``given`` as scripted, every other field made
    from its schema (meetings last: a field chosen before may decide their roll)."""
    data = {k: v for k, v in given.items() if v is not None}
    files: dict[str, Any] = {}
    for schema in fields:
        name = schema["name"]
        if schema["type"] == "table" and isinstance(given.get(name), list):
            data[name] = [{**_fill(schema["columns"], {})[0], **row} for row in given[name]]
            continue  # the scripted cells, the others made from their columns
        if name in given or schema["type"] in ("meeting", "file"):
            continue
        if schema["type"] == "ref" and "choices" not in schema and not schema["required"]:
            continue  # a long list behind choices_url: optional, left out
        value = _value(schema, data)
        if value is not None:
            data[name] = value
    for schema in fields:
        if schema["type"] == "meeting" and schema["name"] not in given:
            data[schema["name"]] = _meeting(schema, data)
        if schema["type"] == "file" and schema["name"] not in given and _needed(schema, data):
            files[schema["name"]] = _file(schema.get("accept", []))
    return data, files


def _needed(schema: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    rule = schema.get("required_if")
    if rule:
        return str(values.get(rule["field"])) == str(rule["equals"])
    return bool(schema["required"])


# --- the script -------------------------------------------------------------------------------


def _span(text: str) -> dt.timedelta:
    match = _SPAN.match(text)
    if not match:
        raise ScenarioError(f"not a span of time: {text!r} (write e.g. 2d, 3h, 30m)")
    return dt.timedelta(**{_UNITS[match[2]]: int(match[1])})


@dataclass
class Loaded:
    """What a load did: the cases it made (by key) and those it found already there."""

    made: list[Case] = field(default_factory=list)
    present: int = 0

    def lines(self) -> list[str]:
        return [f"演示事项 demo cases: {len(self.made)} 新建 created, "
                f"{self.present} 已有 already there"]


def scenario_cases(path: Path = SCENARIO) -> list[dict[str, Any]]:
    """The scripted cases, one for each village the script names: title and steps."""
    script = json.loads(path.read_text("utf-8"))
    slugs = {p.slug: p for p in PLACES}
    out = []
    for entry in script["cases"]:
        for slug in entry.get("villages", script["villages"]):
            out.append({**entry, "village": slugs[slug]})
    return out


def _place_region(village: Place) -> Region:
    return Region.objects.get(code=village.code)


def _holders(task: Task, role: str | None) -> list[User]:
    roles = [r for r in task.roles.strip(",").split(",") if r]
    if role:
        roles = [role]
    rows = (Membership.objects.active().filter(region_id=task.region_id, role__in=roles)
            .select_related("user").order_by("user__username"))
    return [m.user for m in rows]


def _act(case: Case, step: Mapping[str, Any], clock: Clock) -> Case:
    task = case.tasks.filter(state="open").order_by("pk").first()
    if task is None:
        raise ScenarioError(f"{case.title}: no open step for {step}")
    for actor in _holders(task, step.get("as")):
        if "return" in step:
            if step["return"] in can_return(actor, case):
                return gate.return_to_step(actor=actor, case_id=case.pk, step=step["return"],
                                           reason=step["reason"])
            continue
        wanted = step.get("do")
        chosen = next((o.action for o in available_actions(actor, case)
                       if (o.action.code == wanted if wanted else o.action.kind == Kind.FORWARD)),
                      None)
        if chosen is not None:
            return _perform(case, actor, chosen, step, clock)
    raise ScenarioError(f"{case.procedure} {case.title}: nobody may {step} at {task.step}")


def _perform(case: Case, actor: User, action: ActionSpec, step: Mapping[str, Any],
             clock: Clock) -> Case:
    """The action as a client would send it, its fields filled from their schema (the API's
    ``field_json``); when it is refused only because a window is still open, again once the
    window is over."""
    if action.kind == Kind.FORWARD:  # a 公示 is ended when its window is over, not before
        running = case.notices.filter(state=NoticeState.RUNNING).order_by("-pk").first()
        if running is not None and running.earliest_end > clock.at:
            clock.move(running.earliest_end + dt.timedelta(minutes=5))
    for attempt in (1, 2):
        schema = [field_json(f, case, action) for f in action.fields]
        data, files = _fill(schema, _dated(step.get("data", {})))
        try:
            return gate.perform_action(actor=actor, case_id=case.pk, action=action.code,
                                       data=data, files=files,
                                       comment=step.get("comment", "同意。"))
        except RuleError as refusal:
            if refusal.not_before is None or attempt == 2:
                raise ScenarioError(f"{case.procedure} {case.title} {case.current_step}: "
                                    f"{refusal.code} {refusal.detail}") from refusal
            clock.move(refusal.not_before + dt.timedelta(minutes=5))
    raise AssertionError("unreachable")


def _dated(value: Any) -> Any:
    """Scripted values with their days said relative to the step's day: ``today+10``,
    ``today-3`` (in tables too)."""
    if isinstance(value, dict):
        return {k: _dated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    match = _TODAY.match(value) if isinstance(value, str) else None
    if match:
        return (timezone.localdate() + dt.timedelta(days=int(match[1] or 0))).isoformat()
    return value


def _opener(spec_first_roles: list[str], region: Region, role: str | None) -> User:
    wanted = [role] if role else spec_first_roles
    rows = (Membership.objects.active().filter(region=region, role__in=wanted)
            .select_related("user").order_by("user__username"))
    for m in rows:
        return m.user
    raise ScenarioError(f"nobody in {region.name} holds {wanted}")


def _run_case(entry: Mapping[str, Any], clock: Clock) -> Case:
    village = _place_region(entry["village"])
    local_day = timezone.localtime(_REAL_NOW()).replace(hour=9, minute=0, second=0,
                                                         microsecond=0)
    clock.move(local_day - dt.timedelta(days=int(entry["days_ago"])))
    spec = registry.get(entry["procedure"])
    if spec is None:
        raise ScenarioError(f"no procedure {entry['procedure']}")
    first = spec.first_step
    actor = _opener([str(r) for r in first.roles], acting_region(village, first.level),
                    entry.get("open_as"))
    case = gate.open_case(actor=actor, procedure=spec.code, region=village,
                          title=entry["title"])
    for step in entry.get("steps", []):
        clock.move(clock.at + _span(step.get("after", "2h")))
        if step.get("sweep"):
            sweep(clock.at)
            continue
        case = _act(Case.objects.get(pk=case.pk), step, clock)
    return case


def load_scenario(path: Path = SCENARIO) -> Loaded:
    """Make every scripted case not made before (known by village and title), then fire
    what is due by now."""
    loaded = Loaded()
    entries = scenario_cases(path)
    codes = {p.code for p in PLACES}
    there = set(Case.objects.filter(region__code__in=codes)
                .values_list("region__code", "title"))
    # one transaction: one commit to disk instead of one for each step (the gate's own
    # transactions become savepoints), and nothing half made when a step is refused
    with transaction.atomic(), scripted_clock() as clock:
        for entry in entries:
            if (entry["village"].code, entry["title"]) in there:
                loaded.present += 1
                continue
            loaded.made.append(_run_case(entry, clock))
        if loaded.made:
            clock.move(_REAL_NOW())
            sweep(clock.at)
    return loaded
