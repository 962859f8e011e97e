"""Declarative procedure specs: the seven fields of the model text plus a step graph.

A spec is data, written in a domain app's ``procedures.py`` and registered in
``workflows.registry``. The gate (``workflows.gate``) reads it; nothing else
decides what a step allows. Every number of a rule is a :class:`Param` with a
floor below which no tenant setting may go.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from fractions import Fraction
from typing import Any

from core.roles import Level, Role
from workflows import texts
from workflows.messages import Quantity


class FieldType(enum.StrEnum):
    STRING = "string"
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    FILE = "file"
    USER = "user"
    MEETING = "meeting"
    MONTH = "month"  # "YYYY-MM"
    TABLE = "table"  # rows of typed columns: a list of objects keyed by column name
    REF = "ref"      # an entry of a roster or register of the case's village


class Format(enum.StrEnum):
    """Formats a string field's value must have (contract 5)."""

    ID_NUMBER = "id_number"  # 18-digit 居民身份证号码, GB 11643 check digit
    MOBILE = "mobile"        # 11-digit mainland mobile number
    USCC = "uscc"            # 统一社会信用代码, GB 32100 check character


@dataclass(frozen=True)
class RequiredIf:
    """Required only when another field of the same action has this value (or, with
    ``any_of``, one of these values; ``equals`` is then the first of them)."""

    field: str
    equals: Any
    any_of: tuple[Any, ...] = ()

    def holds(self, value: Any) -> bool:
        return str(value) in {str(v) for v in (self.equals, *self.any_of)}


class Unit(enum.StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    RATIO = "ratio"
    COUNT = "count"

    @property
    def label(self) -> str:
        word = texts.UNITS.get(self.value, "")
        return texts.translate_n(word, word, 2) if word else ""

    def amount(self, n: int | Fraction) -> str:
        """``n`` of this unit in the reader's language: 3天, 3 days, 1 working day."""
        word = texts.UNITS.get(self.value, "")
        if not word or texts.language() is None:
            return f"{n}{word}"
        return f"{n} {texts.translate_n(word, word, 1 if n == 1 else 2)}"


class SourceKind(enum.StrEnum):
    """Where a number comes from (issue 11): a law, the model text, or this district."""

    LAW = "law"                # a law or party rule; ``text`` names it and its article
    MODEL_TEXT = "model_text"  # the district's model text; ``text`` quotes its words
    LOCAL = "local"            # a choice of this district, editable within its floor

    @property
    def label(self) -> str:
        return texts.translate(
            {"law": "法规依据", "model_text": "示范文本", "local": "本地设定"}[self.value])


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    text: str

    def as_json(self) -> dict[str, str]:
        return {"kind": str(self.kind), "label": self.kind.label, "text": self.text}


def law(text: str) -> Source:
    """A number set by a law or party rule: ``text`` names it with its article."""
    return Source(SourceKind.LAW, text)


def model_text(quote: str) -> Source:
    """A number the model text states: ``quote`` gives its words."""
    return Source(SourceKind.MODEL_TEXT, quote)


def local(note: str) -> Source:
    """A number neither the law nor the model text states: the district's choice."""
    return Source(SourceKind.LOCAL, note)


@dataclass(frozen=True)
class Param:
    """A named number of a rule. ``value`` is the default, ``floor`` the legal minimum.

    For a deadline the "floor" is the strictest the law allows a tenant to go the
    other way: ``ceiling`` caps how long a deadline may be stretched.
    ``source`` says where the number comes from (law, model text or local choice).
    """

    name: str
    label: str
    value: int | Fraction
    floor: int | Fraction
    unit: Unit
    ceiling: int | Fraction | None = None
    source: Source | None = dc_field(default=None, compare=False)

    @property
    def lower_is_stricter(self) -> bool:
        """A limit (a deadline, a report within N hours, an alert after N repetitions) is
        stricter when smaller: it has a ceiling it may not be stretched past and a floor
        below its default. A window, quorum or minimum period is stricter when larger."""
        return self.ceiling is not None and self.floor < self.value

    def based_on(self, source: Source) -> Param:
        """This number with its source (for numbers built by the small constructors)."""
        return replace(self, source=source)

    def describe(self, value: int | Fraction | None = None) -> str:
        v = self.value if value is None else value
        if self.unit == Unit.RATIO:
            frac = Fraction(v)
            return f"{frac.numerator}/{frac.denominator}"
        return self.unit.amount(v)

    def amount(self, value: int | Fraction | None = None) -> Quantity | str:
        """This number with its unit, for a message read in the reader's language."""
        v = self.value if value is None else value
        if self.unit == Unit.RATIO:
            return self.describe(v)
        return Quantity(int(v), self.unit.value)


# A date bound: today for a date field, now for a date-time field.
TODAY = "today"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: FieldType
    required: bool = True
    choices: tuple[Choice, ...] = ()
    accept: tuple[str, ...] = ()
    help: str = ""
    # For USER fields: the roles (in the case's village) the chosen user must hold.
    user_roles: tuple[Role, ...] = ()
    # Shown on public notices (the board); never mark personal data public.
    public: bool = False
    # bounds: numbers for integer and decimal fields; for dates and date-times an ISO
    # value or TODAY (today for a date, now for a date-time: what has already happened)
    min: Any = None
    max: Any = None
    # another date field of the same action that this one may not be earlier than
    after: str | None = None
    # strings: the longest value (default 200, text 10,000), a format, or a pattern
    max_length: int | None = None
    format: Format | None = None
    pattern: str | None = None
    required_if: RequiredIf | None = None
    # multichoice: how many may be picked
    min_items: int | None = None
    max_items: int | None = None
    # table: the columns (scalar fields) and how many rows
    columns: tuple[FieldSpec, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    # ref: the roster (or register) whose entries of the case's village may be chosen,
    # and a word its source understands to narrow them (workflows.refs)
    ref: str | None = None
    ref_filter: str = ""
    # choice: the values recorded at an earlier step are the choices ("step.field" or
    # "step.table.column"), e.g. a post the two committees decided (workflows.fields)
    choices_from: str = ""
    # the value the portal proposes from the case's records (workflows.proposals): sent as
    # the schema's ``default``, the form's starting value
    default_from: str = ""
    # file: the largest upload (default: settings.ATTACHMENT_MAX_BYTES)
    max_bytes: int | None = None

    def column(self, name: str) -> FieldSpec | None:
        return next((c for c in self.columns if c.name == name), None)


class Basis(enum.StrEnum):
    """What a meeting threshold is measured against."""

    DUE = "due"
    PRESENT = "present"


@dataclass(frozen=True)
class Threshold:
    """``count`` must reach ``ratio`` of ``basis`` — strictly more when ``strict``.

    Computed in integers: ``count * den > basis * num`` (strict) or ``>=``.
    """

    ratio: Param
    basis: Basis
    strict: bool

    def met(self, count: int, *, due: int, present: int, ratio: Fraction | None = None) -> bool:
        frac = Fraction(ratio if ratio is not None else self.ratio.value)
        base = due if self.basis == Basis.DUE else present
        left, right = count * frac.denominator, base * frac.numerator
        return left > right if self.strict else left >= right

    def describe(self, ratio: Fraction | None = None) -> str:
        frac = Fraction(ratio if ratio is not None else self.ratio.value)
        share = (texts.translate("半数") if frac == Fraction(1, 2)
                 else f"{frac.numerator}/{frac.denominator}")
        basis = "应到人数" if self.basis == Basis.DUE else "实到人数"
        sentence = f"{basis}的{{share}}{'以上(不含本数)' if self.strict else '以上(含本数)'}"
        return texts.translate(sentence).format(share=share)


@dataclass(frozen=True)
class MeetingRule:
    """A meeting held at a step: quorum of present against the roll, pass line of yes.

    ``roll`` names the roll source (``workflows.rolls``) that computes who was entitled to
    the meeting on the day it was held; the lint refuses a rule without a known one.
    ``roll_by`` names a field of the same action whose value narrows the roll (which party
    group met), passed to the source. ``votes`` is False for a meeting that decides nothing
    by vote (a lecture, a group's study): its value carries no yes/no/abstain.
    """

    body: str
    quorum: Threshold
    pass_line: Threshold
    field: str = "meeting"
    roll_label: str = "应到人数"
    roll: str = ""
    roll_by: str | None = None
    votes: bool = True


@dataclass(frozen=True)
class Publicity:
    """A window opened when the step is entered; the step cannot be left until it ends."""

    days: Param
    title: str
    content_fields: tuple[str, ...] = ()

    @property
    def working_days(self) -> bool:
        return self.days.unit == Unit.WORKING_DAYS


class DueFrom(enum.StrEnum):
    STEP_ENTERED = "step_entered"
    CASE_OPENED = "case_opened"


@dataclass(frozen=True)
class Deadline:
    """The step must be done within ``period`` of ``due_from``.

    Reminders go to the actors ``remind_days`` before (each at least one day), and
    when the time has passed; the level above is told when it is overdue.
    """

    period: Param
    due_from: DueFrom = DueFrom.STEP_ENTERED
    remind_days: tuple[int, ...] = (3, 1)
    escalate: bool = True
    # A harder limit ("at most six months"): escalated again when passed.
    hard_limit: Param | None = None


@dataclass(frozen=True)
class Extension:
    """Months added to a wait by a recorded action: ``case.data[key][field]``.

    E.g. a probation extended by the side action "probation:extend_probation" whose
    field "months" says by how long.
    """

    key: str
    field: str


@dataclass(frozen=True)
class MinimumWait:
    """The action is refused (``too_early``) until ``period`` after the date in ``since``."""

    period: Param
    since_step: str  # the step whose completion starts the wait
    reason: str
    extension: Extension | None = None
    # a date field (or a meeting field: the day it was held) in the since-step's data that
    # starts the wait instead of its time
    since_field: str | None = None


@dataclass(frozen=True)
class Recurring:
    """While the case waits at the step, remind its actors every ``every`` (e.g. quarterly)."""

    every: Param
    message: str


@dataclass(frozen=True)
class Separation:
    """Who may not do this step: the actors of other steps, or holders of some roles."""

    not_actor_of: tuple[str, ...] = ()
    not_roles: tuple[Role, ...] = ()
    reason: str = ""


class Kind(enum.StrEnum):
    FORWARD = "forward"  # leaves the step
    SIDE = "side"        # records something, stays on the step


class StepKind(enum.StrEnum):
    """What a higher body does at a step (the township's queue filters by it): filing records,
    review checks, approval decides (procedures.md, "Rules that recur")."""

    FILING = "filing"
    REVIEW = "review"
    APPROVAL = "approval"
    OTHER = "other"


# the words of a step's name that say its kind, strongest first (a step named
# "报镇(街道)党(工)委备案" files, "镇(街道)党(工)委审批转正" decides)
STEP_KIND_WORDS: tuple[tuple[StepKind, tuple[str, ...]], ...] = (
    (StepKind.FILING, ("备案",)),
    (StepKind.APPROVAL, ("审批", "批准", "同意")),
    (StepKind.REVIEW, ("审核", "审查", "复查", "联审", "预审")),
)

# the field of a batch action that takes the one opinion written for the whole batch
BATCH_OPINION = "opinion"


@dataclass(frozen=True)
class Require:
    """The action is refused (``requirement_not_met``) unless field ``field`` equals ``equals``."""

    field: str
    equals: Any
    message: str


@dataclass(frozen=True)
class Route:
    """The next step chosen by the value of a field: ``to[value]`` (None closes the case);
    a value not listed goes to the action's ``to``."""

    field: str
    to: Mapping[str, str | None]


@dataclass(frozen=True)
class MeetingBy:
    """The meeting rule chosen by the value of a choice field (e.g. which villagers' body)."""

    field: str
    rules: Mapping[str, MeetingRule]


# An effect's function receives a ``workflows.effects.EffectContext`` (typed there).
EffectFn = Callable[[Any], None]


@dataclass(frozen=True)
class Effect:
    """A domain rule check and side effect that an action names.

    ``check(ctx)`` runs after the case is locked and before anything is stored (a
    refusal then writes nothing, file included); ``apply(ctx)`` runs inside the same
    transaction after the event is written (``ctx.event`` is set). ``reads`` lists
    the step codes whose data or actor the effect reads: the lint checks they exist.
    ``name`` is how a procedure defined as data refers to it (contract 9).
    """

    name: str
    check: EffectFn | None = None
    apply: EffectFn | None = None
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionSpec:
    code: str
    name: str
    to: str | None = None  # next step; None with kind FORWARD closes the case
    fields: tuple[FieldSpec, ...] = ()
    kind: Kind = Kind.FORWARD
    meeting: MeetingRule | None = None
    meeting_by: MeetingBy | None = None
    route_by: Route | None = None
    wait: MinimumWait | None = None
    effects: tuple[Effect, ...] = ()
    # the outcome recorded on the case when this action closes it
    outcome: str = ""
    # a required boolean checklist: every name must be true in data (e.g. archive list)
    checklist: tuple[str, ...] = ()
    requires: tuple[Require, ...] = ()
    # may be done for several cases of the same step at once, with one opinion (备案, 审核):
    # the lint allows it only on a way forward that asks for nothing but the opinion
    batch: bool = False

    @property
    def closes(self) -> bool:
        return self.kind == Kind.FORWARD and self.to is None and self.route_by is None

    def targets(self) -> list[str | None]:
        if self.kind == Kind.SIDE:
            return []
        if self.route_by is not None:
            return [*self.route_by.to.values(), *([self.to] if self.to else [])]
        return [self.to]

    def next_step(self, values: Mapping[str, Any]) -> str | None:
        """The step this action leads to with these values (None closes the case)."""
        if self.route_by is not None:
            return self.route_by.to.get(str(values.get(self.route_by.field)), self.to)
        return self.to

    def meeting_rules(self) -> list[MeetingRule]:
        rules = [self.meeting] if self.meeting else []
        if self.meeting_by:
            rules.extend(self.meeting_by.rules.values())
        return rules


@dataclass(frozen=True)
class StepSpec:
    code: str
    name: str
    roles: tuple[Role, ...]
    level: Level
    actions: tuple[ActionSpec, ...]
    publicity: Publicity | None = None
    deadline: Deadline | None = None
    separation: Separation | None = None
    # steps that this step may send the case back to (with a reason)
    back_to: tuple[str, ...] = ()
    description: str = ""
    recurring: tuple[Recurring, ...] = ()
    # what a higher body does here; None: read from the step's name (see ``step_kind``)
    review_kind: StepKind | None = None
    # the stage of a long procedure the step belongs to (01.1's five, named as the model
    # text names them); the stepper groups a procedure's steps by it. Set with ``in_stage``.
    stage: str = ""

    def action(self, code: str) -> ActionSpec | None:
        return next((a for a in self.actions if a.code == code), None)

    @property
    def step_kind(self) -> StepKind:
        """Filing, review, approval or other: as declared, else by the words of the name."""
        if self.review_kind is not None:
            return self.review_kind
        for kind, words in STEP_KIND_WORDS:
            if any(word in self.name for word in words):
                return kind
        return StepKind.OTHER

    def batch_action(self) -> ActionSpec | None:
        """The way forward that may be taken for many cases at once, if the step has one."""
        return next((a for a in self.actions if a.batch and a.kind == Kind.FORWARD), None)


class RiskKind(enum.StrEnum):
    ENFORCED = "enforced"  # the portal refuses what the risk describes
    ALERT = "alert"        # the supervisory committee is told


# a number in a spec's text: ``{param_name}``
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Risk:
    text: str
    control: str
    kind: RiskKind = RiskKind.ENFORCED


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    category: str
    guiding_units: tuple[str, ...]
    guiding_roles: tuple[Role, ...]
    supervisor: str
    risks: tuple[Risk, ...]
    measures: tuple[str, ...]
    steps: tuple[StepSpec, ...]
    version: int = 1
    summary: str = ""
    # roles that may open a case at the first step besides the first step's actors
    openers: tuple[Role, ...] = ()
    # read-only audit roles for this procedure's cases besides the global ones
    auditors: tuple[Role, ...] = ()
    params: tuple[Param, ...] = dc_field(default=(), repr=False)
    # the persons of its cases are protected by law (社区矫正法): nothing of a case reaches
    # the public board or a public notice, and it has no publicity step
    confidential: bool = False
    # an emergency: its tasks are listed before every other (issue 11, point 8)
    urgent: bool = False
    # its meetings are the village's regular organisational life (三会一课): the township's
    # overview counts them per month and names a month that ended without one
    regular_meetings: bool = False
    # a realistic title of one of its cases (张三入党申请): the new-case form's placeholder
    title_example: str = ""

    @property
    def first_step(self) -> StepSpec:
        return self.steps[0]

    def step(self, code: str) -> StepSpec:
        for step in self.steps:
            if step.code == code:
                return step
        raise KeyError(f"{self.code}: no step {code!r}")

    def has_step(self, code: str) -> bool:
        return any(step.code == code for step in self.steps)

    def fill(self, text: str, values: Mapping[str, int | Fraction] | None = None) -> str:
        """``text`` with each ``{param_name}`` replaced by the number in force (``values``:
        a tenant's effective values; the spec's defaults otherwise), so that a risk or
        control text never states a number the rules no longer use."""
        params = self.all_params()

        def number(match: re.Match[str]) -> str:
            param = params.get(match.group(1))
            if param is None:
                return match.group(0)
            return param.describe((values or {}).get(param.name, param.value))

        return PLACEHOLDER.sub(number, text)

    def risks_in_force(self, values: Mapping[str, int | Fraction] | None = None
                       ) -> tuple[Risk, ...]:
        """The risks with their numbers filled in (see :meth:`fill`)."""
        return tuple(replace(r, text=self.fill(r.text, values),
                             control=self.fill(r.control, values)) for r in self.risks)

    def stages(self) -> list[tuple[str, tuple[StepSpec, ...]]]:
        """The procedure's steps in runs of one stage each, in order: ``[("申请入党阶段",
        (application, talk)), …]``; one run with no name for a procedure without stages."""
        runs: list[tuple[str, list[StepSpec]]] = []
        for step in self.steps:
            if not runs or runs[-1][0] != step.stage:
                runs.append((step.stage, []))
            runs[-1][1].append(step)
        return [(name, tuple(steps)) for name, steps in runs]

    @property
    def staged(self) -> bool:
        return any(step.stage for step in self.steps)

    def all_params(self) -> dict[str, Param]:
        """Every named number of this procedure, by name."""
        found: dict[str, Param] = {p.name: p for p in self.params}
        for step in self.steps:
            if step.publicity:
                found[step.publicity.days.name] = step.publicity.days
            for rec in step.recurring:
                found[rec.every.name] = rec.every
            if step.deadline:
                found[step.deadline.period.name] = step.deadline.period
                if step.deadline.hard_limit:
                    found[step.deadline.hard_limit.name] = step.deadline.hard_limit
            for action in step.actions:
                if action.wait:
                    found[action.wait.period.name] = action.wait.period
                for rule in action.meeting_rules():
                    found[rule.quorum.ratio.name] = rule.quorum.ratio
                    found[rule.pass_line.ratio.name] = rule.pass_line.ratio
        return found


# --- small constructors so that specs read like the model text -------------------------

def days(name: str, label: str, n: int, *, floor: int | None = None,
         source: Source | None = None) -> Param:
    return Param(name, label, n, n if floor is None else floor, Unit.DAYS, source=source)


def working_days(name: str, label: str, n: int, *, floor: int | None = None,
                 source: Source | None = None) -> Param:
    return Param(name, label, n, n if floor is None else floor, Unit.WORKING_DAYS,
                 source=source)


def months(name: str, label: str, n: int, *, ceiling: int | None = None,
           source: Source | None = None) -> Param:
    # A deadline may be shortened by a tenant (stricter) but not lengthened past the law.
    return Param(name, label, n, 1, Unit.MONTHS, ceiling=n if ceiling is None else ceiling,
                 source=source)


def min_months(name: str, label: str, n: int, *, source: Source | None = None) -> Param:
    """A minimum period (e.g. a year as activist): a tenant may only lengthen it."""
    return Param(name, label, n, n, Unit.MONTHS, source=source)


def deadline_days(name: str, label: str, n: int, *, source: Source | None = None) -> Param:
    return Param(name, label, n, 1, Unit.DAYS, ceiling=n, source=source)


def ratio(name: str, label: str, num: int, den: int, *, source: Source | None = None) -> Param:
    frac = Fraction(num, den)
    return Param(name, label, frac, frac, Unit.RATIO, ceiling=Fraction(1), source=source)


def more_than(param: Param, basis: Basis) -> Threshold:
    return Threshold(param, basis, strict=True)


def at_least(param: Param, basis: Basis) -> Threshold:
    return Threshold(param, basis, strict=False)


def in_stage(stage: str, *steps: StepSpec) -> tuple[StepSpec, ...]:
    """These steps, each marked as belonging to ``stage`` (a procedure's ``steps`` are
    then written ``(*in_stage("申请入党阶段", …), *in_stage(…))``)."""
    return tuple(replace(step, stage=stage) for step in steps)


def field(name: str, label: str, type: FieldType = FieldType.STRING, **kw: Any) -> FieldSpec:
    """A field; ``choices`` may be given as (value, label) pairs."""
    raw = kw.pop("choices", ())
    choices = tuple(c if isinstance(c, Choice) else Choice(*c) for c in raw)
    return FieldSpec(name, label, type, choices=choices, **kw)


PDF_OR_IMAGE = ("application/pdf", "image/jpeg", "image/png")
DOCUMENTS = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def file_field(name: str, label: str, *, required: bool = True,
               accept: tuple[str, ...] = DOCUMENTS, help: str = "",
               required_if: RequiredIf | None = None) -> FieldSpec:
    return FieldSpec(name, label, FieldType.FILE, required=required, accept=accept, help=help,
                     required_if=required_if)


def meeting_field(label: str = "会议情况", name: str = "meeting") -> FieldSpec:
    return FieldSpec(name, label, FieldType.MEETING)


# --- the side actions every publicity step offers ----------------------------------------

def publicity_side_actions() -> tuple[ActionSpec, ...]:
    """Record where the notice is posted (with a photo), objections, and their answers."""
    return (
        ActionSpec(
            "record_posting", "登记张贴情况", kind=Kind.SIDE,
            fields=(
                field("location", "张贴地点", help="如:村级组织活动场所、村(居)务公开栏"),
                file_field("photo", "张贴照片", accept=PDF_OR_IMAGE, required=False),
            ),
        ),
        ActionSpec(
            "record_objection", "登记异议", kind=Kind.SIDE,
            fields=(
                field("content", "异议内容", FieldType.TEXT),
                field("raised_by", "异议人", required=False),
            ),
        ),
        ActionSpec(
            "answer_objection", "答复异议", kind=Kind.SIDE,
            fields=(field("answer", "答复内容", FieldType.TEXT),),
        ),
    )


def posting_fields() -> tuple[FieldSpec, ...]:
    """Fields that close a publicity step: where it hung, and the photo that proves it."""
    return (
        field("location", "张贴地点", help="如:村级组织活动场所、村(居)务公开栏"),
        file_field("photo", "张贴照片(公示期满时拍摄)", accept=PDF_OR_IMAGE),
    )


def notice_step(code: str, name: str, *, days: Param, title: str, done: str, to: str,
                description: str, content_fields: tuple[str, ...] = (),
                back_to: tuple[str, ...] = (),
                roles: tuple[Role, ...] = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER),
                ) -> StepSpec:
    """A village notice on the public board (公开栏), kept up at least ``days`` (a tenant may
    lengthen it, never shorten it), closed with where it hung and a photo; objections are
    recorded and answered on the side (03.2 village rules, 06 the farmland subsidy)."""
    return StepSpec(
        code=code, name=name, level=Level.VILLAGE, roles=roles, back_to=back_to,
        publicity=Publicity(days=days, title=title, content_fields=content_fields),
        description=description,
        actions=(
            ActionSpec("publicity_done", done, to=to, fields=posting_fields()),
            *publicity_side_actions(),
        ),
    )


# the pass line of a meeting that puts nothing to the vote: any count reaches it
NO_VOTE = Param("no_motion_pass", "无表决事项", 0, 0, Unit.RATIO,
                source=local("会议不作表决,无通过比例;到会人数照花名册记录"))


def attendance(body: str, *, name: str, roll: str, roll_by: str | None = None,
               field_name: str = "meeting", roll_label: str = "应到人数") -> MeetingRule:
    """A meeting that decides nothing by vote (a party group's study, a lecture, a themed
    day): who attended is recorded against the roll (``roll``); no quorum unless a tenant
    sets one."""
    return MeetingRule(
        body=body,
        quorum=at_least(Param(f"{name}_quorum", f"{body}到会比例(默认不设)", 0, 0, Unit.RATIO),
                        Basis.DUE),
        pass_line=at_least(NO_VOTE, Basis.PRESENT),
        field=field_name, roll=roll, roll_by=roll_by, votes=False, roll_label=roll_label,
    )


def simple_majority(body: str, *, name: str, roll: str, field_name: str = "meeting",
                    roll_label: str = "应到人数") -> MeetingRule:
    """More than half of those due present; more than half of those present agree; the
    roll from the source ``roll`` (``workflows.rolls``)."""
    return MeetingRule(
        body=body,
        quorum=more_than(ratio(f"{name}_quorum", f"{body}到会比例", 1, 2), Basis.DUE),
        pass_line=more_than(ratio(f"{name}_pass", f"{body}通过比例", 1, 2), Basis.PRESENT),
        field=field_name,
        roll=roll,
        roll_label=roll_label,
    )
