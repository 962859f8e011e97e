"""The one registry of procedure specs, filled by each domain app's ``procedures.py``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from django.apps import apps

from core.roles import ROLE_LEVEL, Role
from workflows.spec import Kind, ProcedureSpec, Unit


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, ProcedureSpec] = {}
        self._loaded = False

    def register(self, spec: ProcedureSpec) -> ProcedureSpec:
        if spec.code in self._specs and self._specs[spec.code] is not spec:
            raise ValueError(f"procedure {spec.code} registered twice")
        self._specs[spec.code] = spec
        return spec

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for config in apps.get_app_configs():
            try:
                importlib.import_module(f"{config.name}.procedures")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.procedures":
                    raise

    def all(self) -> list[ProcedureSpec]:
        self._load()
        return sorted(self._specs.values(), key=lambda s: _sort_key(s.code))

    def __iter__(self) -> Iterator[ProcedureSpec]:
        return iter(self.all())

    def get(self, code: str) -> ProcedureSpec | None:
        self._load()
        return self._specs.get(code)

    def codes(self) -> list[str]:
        return [spec.code for spec in self.all()]


def _sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


registry = Registry()


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
            for rule in action.meeting_rules():
                if rule.field not in names:
                    problems.append(
                        f"{step.code}.{action.code}: meeting field {rule.field} missing")
            for sel in (action.meeting_by, action.route_by):
                if sel and sel[0] not in names:
                    problems.append(f"{step.code}.{action.code}: selector {sel[0]} is not a field")
            if action.wait and action.wait.since_step not in known:
                problems.append(f"{step.code}.{action.code}: wait since unknown step")
    for name, param in spec.all_params().items():
        if param.value < param.floor:
            problems.append(f"param {name}: {param.value} below floor {param.floor}")
        if param.ceiling is not None and param.value > param.ceiling:
            problems.append(f"param {name}: {param.value} above ceiling {param.ceiling}")
        if param.unit in (Unit.DAYS, Unit.WORKING_DAYS, Unit.MONTHS) and param.floor < 1:
            problems.append(f"param {name}: a period needs a floor of at least 1")
    return problems
