"""The one registry of procedure specs, filled by each domain app's ``procedures.py``."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps

from core.roles import ROLE_LEVEL, Role
from workflows.proposals import known as proposal_known
from workflows.rolls import roll_source
from workflows.spec import BATCH_OPINION, ActionSpec, Effect, FieldType, Kind, ProcedureSpec, Unit


class Registry:
    """Every version of every procedure spec seen by this process.

    Built-in specs come from each installed app's ``procedures`` module, imported
    once under a lock at start-up (``WorkflowsConfig.ready``) and never half: the
    flag is set only after every module is imported, and a thread that asks while
    another loads waits for it. A case is driven by the version it was opened under
    (``Case.spec``); new cases take the newest.
    """

    def __init__(self) -> None:
        self._versions: dict[str, dict[int, ProcedureSpec]] = {}
        self._lock = threading.RLock()
        self._loaded = False

    def register(self, spec: ProcedureSpec) -> ProcedureSpec:
        with self._lock:
            versions = self._versions.setdefault(spec.code, {})
            known = versions.get(spec.version)
            if known is not None and known is not spec and known != spec:
                raise ValueError(f"procedure {spec.code} version {spec.version} registered "
                                 "twice with different steps: give the new one a new version")
            versions[spec.version] = spec
        return spec

    def load(self) -> None:
        """Import every app's ``procedures`` module once (thread-safe, idempotent)."""
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            for config in apps.get_app_configs():
                try:
                    importlib.import_module(f"{config.name}.procedures")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.procedures":
                        raise
            self._loaded = True

    def all(self) -> list[ProcedureSpec]:
        """The newest version of every procedure, in the model text's order."""
        self.load()
        with self._lock:
            newest = [versions[max(versions)] for versions in self._versions.values()
                      if versions]
        return sorted(newest, key=lambda s: _sort_key(s.code))

    def __iter__(self) -> Iterator[ProcedureSpec]:
        return iter(self.all())

    def get(self, code: str, version: int | None = None) -> ProcedureSpec | None:
        """The newest version of ``code``, or exactly ``version`` (None when unknown)."""
        self.load()
        versions = self._versions.get(code)
        if not versions:
            return None
        if version is None:
            return versions[max(versions)]
        return versions.get(version)

    def versions(self, code: str) -> list[ProcedureSpec]:
        self.load()
        return [v for _, v in sorted(self._versions.get(code, {}).items())]

    def codes(self) -> list[str]:
        return [spec.code for spec in self.all()]

    @contextmanager
    def override(self, *specs: ProcedureSpec) -> Iterator[None]:
        """Register ``specs`` for the duration of a ``with`` block (tests), then restore."""
        self.load()
        with self._lock:
            saved = {s.code: dict(self._versions.get(s.code, {})) for s in specs}
            for spec in specs:
                self._versions.setdefault(spec.code, {})[spec.version] = spec
        try:
            yield
        finally:
            with self._lock:
                for code, versions in saved.items():
                    if versions:
                        self._versions[code] = versions
                    else:
                        self._versions.pop(code, None)


def _sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


registry = Registry()


def _lint_derived(spec: ProcedureSpec, step: str, action: str, fields: Any,
                  steps: set[str]) -> list[str]:
    """A field's ``default_from`` names a registered proposal; its ``choices_from`` an
    earlier step's field ("step.field" or "step.table.column") of this procedure."""
    problems = []
    for fs in fields:
        where = f"{step}.{action}.{fs.name}"
        if fs.default_from and not proposal_known(fs.default_from):
            problems.append(f"{where}: default_from names unknown proposal {fs.default_from}")
        if fs.choices_from:
            source, _, rest = fs.choices_from.partition(".")
            name = rest.partition(".")[0]
            if source not in steps or source == step or not any(
                    f.name == name for a in spec.step(source).actions for f in a.fields):
                problems.append(f"{where}: choices_from {fs.choices_from} is not a field of "
                                "another step")
        if fs.columns:
            problems.extend(_lint_derived(spec, step, action, fs.columns, steps))
    return problems


def _lint_batch(where: str, action: ActionSpec) -> list[str]:
    """A batch action is a way forward that asks for nothing but the one opinion written
    for the whole batch: no other required field, no meeting, checklist, condition, wait or
    route (each case still goes through the gate, but nothing case-specific is typed)."""
    problems = []
    if action.kind != Kind.FORWARD:
        problems.append(f"{where}: a batch action must be a way forward")
    if (action.meeting_rules() or action.checklist or action.requires or action.wait
            or action.route_by):
        problems.append(f"{where}: a batch action may have no meeting, checklist, "
                        "requirement, wait or route")
    for fs in action.fields:
        if fs.name == BATCH_OPINION:
            if fs.type not in (FieldType.TEXT, FieldType.STRING):
                problems.append(f"{where}: the batch opinion must be a text field")
        elif fs.required or fs.required_if is not None:
            problems.append(f"{where}: a batch action may have no required field other than "
                            f"the opinion ({fs.name})")
    return problems


def lint(spec: ProcedureSpec) -> list[str]:
    """Problems in a spec's graph and numbers; empty when the spec is sound."""
    problems: list[str] = []
    codes = [s.code for s in spec.steps]
    if len(set(codes)) != len(codes):
        problems.append("duplicate step codes")
    known = set(codes)
    if not spec.risks or any(not r.control for r in spec.risks):
        problems.append("every risk needs a control")
    for fieldname in ("name", "category", "supervisor"):
        if not getattr(spec, fieldname):
            problems.append(f"missing {fieldname}")
    if not spec.guiding_units or not spec.measures:
        problems.append("missing guiding units or measures")
    for role in spec.guiding_roles:
        if role not in Role:
            problems.append(f"unknown guiding role {role}")
    # reachability from the first step
    reachable = {spec.steps[0].code}
    frontier = [spec.steps[0]]
    closes = False
    while frontier:
        step = frontier.pop()
        for action in step.actions:
            for target in action.targets():
                if target is None:
                    closes = True
                elif target not in known:
                    problems.append(f"{step.code}.{action.code} goes to unknown step {target}")
                elif target not in reachable:
                    reachable.add(target)
                    frontier.append(spec.step(target))
    for code in known - reachable:
        problems.append(f"step {code} is unreachable")
    if not closes:
        problems.append("no action closes the case")
    for step in spec.steps:
        if not any(a.kind == Kind.FORWARD for a in step.actions):
            problems.append(f"step {step.code} has no way forward")
        if not step.roles:
            problems.append(f"step {step.code} has no actors")
        for role in step.roles:
            if role not in Role:
                problems.append(f"step {step.code}: unknown role {role}")
            elif ROLE_LEVEL[Role(role)] != step.level:
                problems.append(f"step {step.code}: role {role} is not of level {step.level}")
        for back in step.back_to:
            if back not in known:
                problems.append(f"step {step.code}: back to unknown step {back}")
        for action in step.actions:
            names = [fs.name for fs in action.fields]
            if len(set(names)) != len(names):
                problems.append(f"{step.code}.{action.code}: duplicate field names")
            labels = [fs.label for fs in action.fields]
            for label in sorted({lb for lb in labels if labels.count(lb) > 1}):
                # one form would show two inputs under one label (03.1's 商议会议, issue 12)
                problems.append(f"{step.code}.{action.code}: two fields labelled {label!r}")
            problems.extend(_lint_derived(spec, step.code, action.code, action.fields, known))
            for rule in action.meeting_rules():
                where = f"{step.code}.{action.code}"
                if rule.field not in names:
                    problems.append(f"{where}: meeting field {rule.field} missing")
                if not rule.roll:
                    problems.append(f"{where}: meeting {rule.body} names no roll source")
                elif roll_source(rule.roll) is None:
                    problems.append(f"{where}: meeting {rule.body} names unknown roll source "
                                    f"{rule.roll}")
                if rule.roll_by is not None and (rule.roll_by not in names
                                                 or action.meeting_by is not None):
                    problems.append(f"{where}: roll_by {rule.roll_by} is not a field (or the "
                                    "rule is itself chosen by a field)")
            meeting_names = {r.field for r in action.meeting_rules()}
            for fs in action.fields:
                if fs.type == FieldType.MEETING and fs.name not in meeting_names:
                    problems.append(f"{step.code}.{action.code}: meeting field {fs.name} has "
                                    "no meeting rule (and so no roll)")
            for sel in (action.meeting_by, action.route_by):
                if sel and sel.field not in names:
                    problems.append(
                        f"{step.code}.{action.code}: selector {sel.field} is not a field")
            for req in action.requires:
                if req.field not in names:
                    problems.append(
                        f"{step.code}.{action.code}: requirement on unknown field {req.field}")
            for name in action.checklist:
                if name not in names:
                    problems.append(f"{step.code}.{action.code}: checklist names unknown "
                                    f"field {name}")
            for eff in action.effects:
                if not isinstance(eff, Effect):
                    problems.append(f"{step.code}.{action.code}: {eff!r} is not an Effect "
                                    "(declare it with workflows.effects.effect)")
                    continue
                for code in eff.reads:
                    if code not in known:
                        problems.append(f"{step.code}.{action.code}: effect {eff.name} reads "
                                        f"unknown step {code}")
            if action.wait and action.wait.since_step not in known:
                problems.append(f"{step.code}.{action.code}: wait since unknown step")
            if action.batch:
                problems.extend(_lint_batch(f"{step.code}.{action.code}", action))
    if spec.confidential:
        for step in spec.steps:
            if step.publicity:
                problems.append(f"step {step.code}: a confidential procedure posts no notice")
            for action in step.actions:
                if any(fs.public for fs in action.fields):
                    problems.append(f"{step.code}.{action.code}: a confidential procedure "
                                    "has no public field")
    for name, param in spec.all_params().items():
        if param.value < param.floor:
            problems.append(f"param {name}: {param.value} below floor {param.floor}")
        if param.ceiling is not None and param.value > param.ceiling:
            problems.append(f"param {name}: {param.value} above ceiling {param.ceiling}")
        if param.unit in (Unit.DAYS, Unit.WORKING_DAYS, Unit.MONTHS) and param.floor < 1:
            problems.append(f"param {name}: a period needs a floor of at least 1")
    return problems
