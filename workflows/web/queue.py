"""The township's review queue (/review/): filters, urgency, counts per village, batches.

The queue is ``queries.review_queue``: the user's township-level tasks, most urgent first.
:class:`QueueFilter` narrows it by the GET parameters ``village``, ``procedure``,
``overdue`` and ``kind`` (filing, review, approval, other: read from each step's spec) and
offers only the villages and procedures the queue holds. :func:`run_batch` does one step
for several cases with one opinion, one gate call (and one event) per case; a case the
gate refuses is reported with its reason while the others go through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import OutOfScope, RuleError
from core.models import Region, User
from core.roles import Level
from workflows import gate
from workflows.filters import FlagFilter, ProblemsMixin
from workflows.models import Case, Task
from workflows.registry import registry
from workflows.spec import BATCH_OPINION, ActionSpec, StepKind
from workflows.visibility import access_case
from workflows.web import display
from workflows.web.queries import batch_action, review_queue, township_tasks

PAGE_SIZE = 50
# the most cases one batch may carry (a page holds 50)
BATCH_MAX = 200

KIND_LABELS = {
    StepKind.FILING: gettext_lazy("备案"),
    StepKind.REVIEW: gettext_lazy("审核"),
    StepKind.APPROVAL: gettext_lazy("审批"),
    StepKind.OTHER: gettext_lazy("其他"),
}


def steps_of_kind(kind: str) -> Q:
    """The township steps of every procedure (every version) whose spec is of ``kind``."""
    q = Q(pk__in=[])
    for code in registry.codes():
        for spec in registry.versions(code):
            for step in spec.steps:
                if step.level == Level.TOWNSHIP and step.step_kind == kind:
                    q |= Q(procedure=spec.code, step=step.code)
    return q


class QueueFilter(ProblemsMixin, django_filters.FilterSet):
    """The queue's filters; ``village`` and ``procedure`` offer only what the queue holds."""

    village = django_filters.ChoiceFilter(field_name="village_id", label=gettext_lazy("村(社区)"))
    procedure = django_filters.ChoiceFilter(field_name="procedure", label=gettext_lazy("事项"))
    overdue = FlagFilter(method="filter_overdue", label=gettext_lazy("逾期"))
    kind = django_filters.ChoiceFilter(
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        method="filter_kind", label=gettext_lazy("环节类型"))

    class Meta:
        model = Task
        fields: list[str] = []

    def __init__(self, data: Any, queryset: QuerySet[Task], *,
                 villages: list[tuple[str, str]], procedures: list[tuple[str, str]]) -> None:
        super().__init__(data, queryset)
        self.filters["village"].extra["choices"] = villages
        self.filters["procedure"].extra["choices"] = procedures

    def filter_overdue(self, queryset: QuerySet[Task], name: str, value: bool) -> QuerySet[Task]:
        lapsed = Q(due_at__lt=timezone.now())
        return queryset.filter(lapsed) if value else queryset.exclude(lapsed)

    def filter_kind(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        return queryset.filter(steps_of_kind(value))


@dataclass
class VillageCount:
    village: Region
    open: int
    overdue: int


@dataclass
class Queue:
    """What the review page shows of the queue."""

    rows: list[dict[str, Any]]
    page: Page[Task]
    counts: list[VillageCount]
    chosen: dict[str, str]
    query: str
    villages: list[tuple[str, str]]
    procedures: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    problems: list[RuleError]
    total: int

    @property
    def open_total(self) -> int:
        """The whole queue's tasks, whatever the filters."""
        return sum(c.open for c in self.counts)


def _choices(base: QuerySet[Task]) -> tuple[list[VillageCount], list[tuple[str, str]],
                                            list[tuple[str, str]]]:
    """Counts per village, and the procedures and step kinds the queue holds."""
    now = timezone.now()
    per_village = {row["village"]: row for row in base.values("village").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now))).order_by()}
    places = Region.objects.filter(pk__in=per_village).order_by("path")
    counts = [VillageCount(p, per_village[p.pk]["n"], per_village[p.pk]["late"])
              for p in places]
    pairs = set(base.values_list("procedure", "step").distinct().order_by())
    held = {code for code, _step in pairs}
    procedures = [(spec.code, f"{spec.code} {spec.name}") for spec in registry.all()
                  if spec.code in held]
    found = set()
    for code, step_code in pairs:
        of_step = registry.get(code)
        if of_step is not None and of_step.has_step(step_code):
            found.add(of_step.step(step_code).step_kind)
    kinds = [(k.value, str(label)) for k, label in KIND_LABELS.items() if k in found]
    return counts, procedures, kinds


def queue_page(user: Any, params: QueryDict) -> Queue:
    """The filtered queue, a page of it (pager links keep the filters), and the counts."""
    base = review_queue(user)
    counts, procedures, kinds = _choices(township_tasks(user))
    villages = [(str(c.village.pk), c.village.name) for c in counts]
    found = QueueFilter(params, base, villages=villages, procedures=procedures)
    problems = found.problems()
    page = Paginator(found.qs, PAGE_SIZE).get_page(params.get("page"))
    now = timezone.now()
    rows = []
    for task in page.object_list:
        spec = task.case.spec
        step = spec.step(task.step) if spec and spec.has_step(task.step) else None
        rows.append({
            "task": task, "case": task.case, "procedure": spec.name if spec else task.procedure,
            "urgent": bool(spec and spec.urgent),
            "step": step.name if step else task.step,
            "kind": KIND_LABELS[step.step_kind] if step else "",
            "batch": batch_action(spec, step),
            "group": f"{task.procedure}:{task.step}",
            "late": bool(task.due_at and task.due_at < now),
            "left": display.time_left(task.due_at, now),
            "escalated": getattr(task, "escalated", False),
        })
    query = params.copy()
    query.pop("page", None)
    chosen = {k: params.get(k, "").strip() for k in ("village", "procedure", "overdue", "kind")}
    return Queue(rows=rows, page=page, counts=counts, chosen=chosen, query=query.urlencode(),
                 villages=villages, procedures=procedures, kinds=kinds, problems=problems,
                 total=page.paginator.count)


# --- batches -----------------------------------------------------------------------------------


@dataclass
class Batch:
    """The result of a batch: what went through, what was refused and why."""

    done: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def _picked(user: Any, picks: list[str]) -> tuple[list[tuple[Case, str]], list[dict[str, Any]]]:
    """The ticked cases the user sees, with the step each was ticked at; the others as
    refusals (by number only: a case out of scope is not named)."""
    seen: list[tuple[Case, str]] = []
    missing: list[dict[str, Any]] = []
    for pick in dict.fromkeys(picks[:BATCH_MAX]):
        case_id, _sep, step_code = pick.partition(":")
        try:
            seen.append((access_case(user, case_id), step_code))
        except Http404:
            missing.append({"title": f"#{case_id}", "case": None, "why": _("未找到该事项。")})
    return seen, missing


def _batch_actions(seen: list[tuple[Case, str]]) -> list[ActionSpec | None]:
    """Each ticked case's batch action (None: 逐个审议), refusing a batch across steps."""
    if len({(case.procedure, step) for case, step in seen}) > 1:
        raise RuleError("mixed_steps", _("一次只能批量办理同一环节的事项,请按环节分别勾选。"),
                        field="pick")
    acts = []
    for case, step_code in seen:
        spec = case.spec
        step = spec.step(step_code) if spec and spec.has_step(step_code) else None
        acts.append(batch_action(spec, step))
    return acts


def run_batch(*, actor: User, picks: list[str], opinion: str) -> Batch:
    """Do the ticked cases' step, one gate call (and one event) each, with one opinion.

    Refused as a whole, changing nothing (a ``RuleError``): nothing ticked, cases of
    different steps, or an empty opinion where the step requires one. Otherwise each case
    goes through the gate on its own: one it refuses (done meanwhile by a co-holder, out of
    scope, a rule broken) is reported by name with the reason, and the others go through.
    """
    opinion = opinion.strip()
    seen, missing = _picked(actor, picks)
    result = Batch(refused=missing)
    if not seen and not missing:
        raise RuleError("nothing_picked", _("请先勾选要批量办理的事项。"), field="pick")
    if not seen:
        return result
    acts = _batch_actions(seen)
    if not opinion and any(fs.name == BATCH_OPINION and fs.required
                           for act in acts if act is not None for fs in act.fields):
        raise RuleError("missing_field", _("请填写审核意见,它将记入所选的每一件事项。"),
                        field="comment")
    for (case, step_code), act in zip(seen, acts, strict=True):
        if act is None:
            result.refused.append({"title": case.title, "case": case,
                                   "why": _("该环节须逐个审议,请打开事项办理。")})
            continue
        takes_opinion = any(fs.name == BATCH_OPINION for fs in act.fields)
        try:
            gate.perform_action(
                actor=actor, case_id=case.pk, action=act.code,
                data={BATCH_OPINION: opinion} if takes_opinion and opinion else {},
                comment="" if takes_opinion else opinion, expected_step=step_code)
        except OutOfScope:
            result.refused.append({"title": f"#{case.pk}", "case": None,
                                   "why": _("未找到该事项。")})
        except RuleError as err:
            result.refused.append({"title": case.title, "case": case, "why": err.detail})
        else:
            result.done.append({"title": case.title, "case": case, "what": act.name})
    return result
