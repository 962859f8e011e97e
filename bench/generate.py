"""A synthetic district for scale tests: regions, people, and years of cases (bench data).

``python -m bench.generate_district`` calls :func:`generate`. Rows are built in
Python and written with COPY on PostgreSQL (psycopg 3 ``cursor.copy``, one
connection per table so that the server parses while Python builds) and with
``executemany`` elsewhere. Every case is walked through its procedure's step
graph as the gate would have moved it, and every rule's answer comes from the
engine's own functions (see :mod:`bench.rules`): each event is an unsaved
``CaseEvent`` hashed with :func:`workflows.audit.event_hash` and chained; due times,
hard limits and waits are ``gate.add_period`` in the parameter's unit; publicity
windows end at ``calendar.window_end`` (holidays and working days honoured);
recurring reminders follow ``calendar.add_months``; meetings pass the spec's rules
(``workflows.meetings``) and are recorded with ``check_meeting``'s result; the
separation of duties of the spec is respected. Written: the case head
(``event_count``, ``last_hash``), one task per visit to a step (the open one for an
open case), deadlines (fired by the sweep while the step was open, with its
message), publicity notices with their objections, meeting records and the seal
register. The output depends only on the seed, the reference time ``now``, the
number of jobs and the holiday table.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

from bench.rules import (
    FiredDeadlines,
    Meetings,
    Periods,
    Planned,
    Values,
    closed_message,
    meeting_result,
    next_recurring,
    notice_text,
    step_deadlines,
)
from core.models import Membership, Region, User
from core.roles import Level, Role, roles_of_level
from seals.effects import SEAL_USE_FACT, line_fact
from workflows import facts as chain_facts
from workflows.acting import acting_region_id
from workflows.audit import event_hash
from workflows.choices import (
    AlertKind,
    CaseState,
    DeadlineKind,
    EventAction,
    NoticeState,
    TaskState,
)
from workflows.history import UNDOING
from workflows.meetings import meeting_rule
from workflows.models import (
    Alert,
    Attachment,
    Case,
    CaseEvent,
    Deadline,
    MeetingRecord,
    Notification,
    Objection,
    PublicityNotice,
    Task,
)
from workflows.params import effective_all
from workflows.registry import registry
from workflows.spec import (
    ActionSpec,
    FieldSpec,
    FieldType,
    Kind,
    MeetingRule,
    ProcedureSpec,
    StepSpec,
)

BENCH_PASSWORD = "bench-district-2026"  # noqa: S105 - synthetic benchmark accounts
TERM_START = dt.date(2021, 3, 1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Preset:
    townships: int
    villages: int
    cases: int


PRESETS = {
    "small": Preset(townships=3, villages=30, cases=50_000),
    "medium": Preset(townships=6, villages=100, cases=333_000),
    "district": Preset(townships=12, villages=300, cases=1_000_000),
}

# Seats per place: how many people hold each role (about 10,000 people at district scale).
VILLAGE_SEATS: dict[Role, int] = {
    Role.BRANCH_SECRETARY: 1, Role.BRANCH_DEPUTY: 1, Role.BRANCH_COMMITTEE: 3,
    Role.PARTY_GROUP_LEADER: 3, Role.PARTY_MEMBER: 8, Role.COMMITTEE_DIRECTOR: 1,
    Role.COMMITTEE_MEMBER: 4, Role.SUPERVISORY_MEMBER: 3, Role.COLLECTIVE_HEAD: 1,
    Role.COLLECTIVE_SUPERVISOR: 2, Role.SEAL_KEEPER: 1, Role.GRID_WORKER: 4, Role.MEDIATOR: 1,
}
TOWNSHIP_SEATS: dict[Role, int] = {
    Role.TOWNSHIP_PARTY: 5, Role.TOWNSHIP_GOVERNMENT: 6, Role.TOWNSHIP_DISCIPLINE: 3,
    Role.TOWNSHIP_ARMED: 2, Role.TOWNSHIP_WOMEN: 2, Role.TOWNSHIP_LEAGUE: 2,
    Role.TOWNSHIP_JUSTICE: 2,
}
DISTRICT_SEATS_EACH = 4

# Relative frequency of procedures (seals and the monthly party meetings are the busiest);
# procedures not listed (added later) weigh 1.
WEIGHTS = {"04.1": 3.0, "04.2": 4.0, "04.3": 3.0, "02.1": 4.0, "02.3": 2.0, "01.2": 2.0,
           "03.1": 2.0, "01.1": 1.0}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
_GIVEN = ["建国", "秀英", "卫东", "丽华", "国强", "桂兰", "志刚", "海燕", "春明", "晓红", "德胜",
          "玉梅", "永福", "淑芬", "文军", "红霞", "学军", "美玲", "振华", "小芳", "立新", "金凤"]
_PLACE_A = "东西南北上下前后大小新老长高青白石金"
_PLACE_B = "桥河湾岭塘坪山庄园溪林田港湖坝岗"
_PHRASES = ["村道硬化及路灯安装", "集体资产出租", "困难家庭临时救助", "党员冬训安排",
            "农田水利设施维修", "村规民约修订", "人居环境整治", "宅基地审批材料",
            "低保对象动态调整", "防汛物资采购", "文化礼堂运营", "集体经济项目入股",
            "土地流转合同", "公益岗位人员聘用", "危房改造补助", "村级财务公开"]
_LOCATIONS = ["村级组织活动场所公开栏", "村(居)务公开栏", "村民小组公告栏", "党群服务中心公示栏"]
_TEXTS = ["经研究,同意按程序办理。", "材料齐全,符合规定,建议通过。",
          "已按要求整改到位,相关资料存档备查。", "会议认真讨论,形成一致意见。",
          "请各相关人员按时参加,做好记录。"]


def person_name(index: int) -> str:
    return _SURNAMES[(index * 7) % len(_SURNAMES)] + _GIVEN[(index * 13) % len(_GIVEN)] \
        + ("" if index % 3 else _GIVEN[(index * 5) % len(_GIVEN)][0])


# --- writing rows -----------------------------------------------------------------------------


class Sink:
    """Rows for one table: COPY on PostgreSQL, batched executemany elsewhere."""

    def __init__(self, model: type[models.Model], columns: list[str], *, copy: bool,
                 conn_factory: Callable[[], Any] | None = None, batch: int = 5000) -> None:
        self.model = model
        self.table = model._meta.db_table
        concrete = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in concrete]
        if unknown:
            raise ValueError(f"{self.table}: unknown columns {unknown}")
        # columns added to the model by others later: filled with the field's default
        self.extra_columns = [c for c in concrete if c not in columns]
        self.extra_values = tuple(_default_for(concrete[c]) for c in self.extra_columns)
        self.columns = columns + self.extra_columns
        self.datetime_cols = [i for i, c in enumerate(self.columns)
                              if isinstance(concrete[c], models.DateTimeField)]
        self.count = 0
        self.copy = copy
        self._rows: list[tuple[Any, ...]] = []
        self._batch = batch
        self._conn: Any = None
        self._cm: Any = None
        self._copy: Any = None
        if copy:
            assert conn_factory is not None
            self._conn = conn_factory()
            cur = self._conn.cursor()
            cols = ", ".join(f'"{c}"' for c in self.columns)
            self._cm = cur.copy(f'COPY "{self.table}" ({cols}) FROM STDIN')
            self._copy = self._cm.__enter__()

    def add(self, row: tuple[Any, ...]) -> None:
        self.count += 1
        full = row + self.extra_values if self.extra_values else row
        if self.copy:
            self._copy.write_row(full)
        else:
            self._rows.append(full)
            if len(self._rows) >= self._batch:
                self.flush()

    def flush(self) -> None:
        if self.copy or not self._rows:
            return
        ops = connection.ops
        fixed = []
        for row in self._rows:
            values = list(row)
            for i in self.datetime_cols:
                if values[i] is not None:
                    values[i] = ops.adapt_datetimefield_value(values[i])
            fixed.append(values)
        cols = ", ".join(ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        with connection.cursor() as cur:
            sql = f"INSERT INTO {ops.quote_name(self.table)} ({cols}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, fixed)
        self._rows = []

    def close(self) -> None:
        if self.copy:
            self._cm.__exit__(None, None, None)
            self._conn.commit()
            self._conn.close()
        else:
            self.flush()


def _default_for(f: models.Field[Any, Any]) -> Any:
    value = f.get_default()
    if isinstance(f, models.JSONField):
        return json.dumps(value if value is not None else {})
    return value


def _pg_conn_factory() -> Callable[[], Any]:
    import psycopg

    s = connection.settings_dict

    def make() -> Any:
        conn = psycopg.connect(dbname=s["NAME"], user=s["USER"] or None,
                               password=s["PASSWORD"] or None, host=s["HOST"] or None,
                               port=s["PORT"] or None)
        conn.execute("SET synchronous_commit = off")
        return conn

    return make


# --- indexes and constraints, dropped for the load and rebuilt after (PostgreSQL) ----------


def _pg_ddl(tables: list[str]) -> tuple[list[str], list[str]]:
    """(statements that drop, statements that rebuild) secondary indexes and constraints."""
    drops: list[str] = []
    builds: list[str] = []
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')", [table])
            constraints = cur.fetchall()
            cur.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                "AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)", [table])
            indexes = cur.fetchall()
            for name, definition in constraints:
                drops.append(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                builds.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            for name, definition in indexes:
                drops.append(f'DROP INDEX "{name}"')
                builds.insert(0, definition)
    # indexes first (unique constraints reuse nothing), foreign keys last
    builds.sort(key=lambda s: 1 if "FOREIGN KEY" in s else 0)
    return drops, builds


# --- the plan of one generated case ----------------------------------------------------------


@dataclass
class Holder:
    user_id: int
    name: str
    role: str


@dataclass
class Place:
    region: Region
    region_id: int
    name: str
    level: Level
    seats: dict[str, list[Holder]] = field(default_factory=dict)


_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every row


@dataclass
class Stats:
    regions: int = 0
    users: int = 0
    memberships: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class Generator:
    def __init__(self, *, townships: int, villages: int, cases: int, seed: int,
                 now: dt.datetime, years: float = 3.0, log: Callable[[str], None] = print,
                 rebuild_indexes: bool = True, jobs: int = 2) -> None:
        self.jobs = max(1, jobs)
        self.townships = max(1, min(townships, villages))
        self.villages = villages
        self.cases = cases
        self.seed = seed
        self.now = now.astimezone(dt.UTC)
        self.years = years
        self.log = log
        self.rng = random.Random(seed)
        self.specs = registry.all()
        if not self.specs:
            raise ValueError("no procedures registered")
        # COPY needs committed parents (regions, users): not inside a test's transaction
        self.is_pg = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.rebuild_indexes = rebuild_indexes and self.is_pg
        self.stats = Stats()
        self._plan: list[tuple[dt.datetime, ProcedureSpec, Place]] = []
        self.tz = timezone.get_current_timezone()
        self.periods = Periods()
        self.meetings = Meetings()
        self.values: dict[str, Values] = {}
        self.unseparated = 0  # actors chosen although the separation of duties bars all
        concrete = CaseEvent._meta.concrete_fields
        self._event_defaults = {f.attname: f.get_default() for f in concrete}
        self._event_values = operator.attrgetter(*(f.attname for f in concrete))
        self._event_json = [i for i, f in enumerate(concrete)
                            if isinstance(f, models.JSONField)]
        self._acting: dict[tuple[int, str], int] = {}

    # -- ids ------------------------------------------------------------------------------

    def _next_ids(self) -> dict[str, int]:
        models_ = [Case, CaseEvent, Task, Deadline, PublicityNotice, Objection, MeetingRecord,
                   Notification, Attachment, Alert]
        from seals.models import SealUse

        models_.append(SealUse)
        return {m._meta.label: (m._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
                for m in models_}

    # -- people and places ----------------------------------------------------------------

    def build_tenancy(self) -> list[Place]:
        existing = Region.objects.filter(code__startswith="3303990").exists()
        if existing:
            raise ValueError("a generated district (codes 330399…) exists already; use --flush")
        district = Region(code="330399000000", name="合溪区", level=Level.DISTRICT)
        district.save()
        townships: list[Region] = []
        for t in range(self.townships):
            name = _PLACE_A[t % len(_PLACE_A)] + _PLACE_B[(t * 3) % len(_PLACE_B)] + "镇"
            region = Region(code=f"330399{101 + t:03d}000", name=name, level=Level.TOWNSHIP,
                            parent=district)
            region.save()
            townships.append(region)
        village_regions: list[Region] = []
        for v in range(self.villages):
            town = townships[v % self.townships]
            number = 201 + v // self.townships
            name = (_PLACE_A[(v * 5) % len(_PLACE_A)] + _PLACE_B[(v * 7 + v // 17) % len(_PLACE_B)]
                    + ("社区" if v % 9 == 0 else "村"))
            village_regions.append(Region(code=f"{town.code[:9]}{number:03d}", name=name,
                                          level=Level.VILLAGE, parent=town))
        for region in village_regions:
            region.save()
        self.stats.regions = 1 + len(townships) + len(village_regions)

        password = make_password(BENCH_PASSWORD)
        users: list[User] = []
        seats: list[tuple[int, str, Region, Role]] = []  # (user index, username, region, role)

        def seat(username: str, region: Region, role: Role) -> None:
            index = len(users)
            users.append(User(username=username, full_name=person_name(index + self.seed),
                              password=password, mobile=f"138{index:08d}"))
            seats.append((index, username, region, role))

        for role in roles_of_level(Level.DISTRICT):
            for n in range(DISTRICT_SEATS_EACH):
                seat(f"d_{role.value}_{n + 1}", district, role)
        for t, town in enumerate(townships):
            for role, count in TOWNSHIP_SEATS.items():
                for n in range(count):
                    seat(f"t{t + 1:02d}_{role.value}_{n + 1}", town, role)
        for v, village in enumerate(village_regions):
            for role, count in VILLAGE_SEATS.items():
                for n in range(count):
                    seat(f"v{v + 1:03d}_{role.value}_{n + 1}", village, role)
        User.objects.bulk_create(users, batch_size=2000)
        by_name = dict(User.objects.filter(username__in=[u.username for u in users])
                       .values_list("username", "pk"))
        Membership.objects.bulk_create(
            [Membership(user_id=by_name[username], region=region, role=role, start=TERM_START)
             for _, username, region, role in seats], batch_size=2000)
        self.stats.users = len(users)
        self.stats.memberships = len(seats)

        places: dict[int, Place] = {}
        for region in [district, *townships, *village_regions]:
            places[region.pk] = Place(region, region.pk, region.name, Level(region.level))
        for index, username, region, role in seats:
            places[region.pk].seats.setdefault(role.value, []).append(
                Holder(by_name[username], users[index].full_name, role.value))
        self.district = district
        self.places = places
        self.village_places = [places[r.pk] for r in village_regions]
        self._make_seals()
        return self.village_places

    def _make_seals(self) -> None:
        from seals.choices import SealKind
        from seals.models import Seal

        rows = []
        for place in self.village_places:
            keeper = place.seats[Role.SEAL_KEEPER.value][0]
            for kind in SealKind:
                rows.append(Seal(region_id=place.region_id, kind=kind, keeper_id=keeper.user_id,
                                 name=f"{place.name}{kind.label}"))
        Seal.objects.bulk_create(rows, batch_size=2000)
        self.seal_ids = {(s.region_id, s.kind): s.pk for s in Seal.objects.filter(
            region_id__in=[p.region_id for p in self.village_places])}
        self.seal_numbers: dict[int, int] = {}

    # -- fake data for an action's fields -------------------------------------------------

    def _value(self, spec: FieldSpec, place: Place, k: int, at: dt.datetime) -> Any:
        rng = self.rng
        t = spec.type
        if t == FieldType.STRING and spec.name == "location":
            return _LOCATIONS[k % len(_LOCATIONS)]
        if t == FieldType.STRING:
            return _PHRASES[(k * 5 + len(spec.name)) % len(_PHRASES)]
        if t == FieldType.TEXT:
            return _TEXTS[k % len(_TEXTS)]
        if t == FieldType.INTEGER:
            return 1 + k % 4
        if t == FieldType.DECIMAL:
            return f"{(k + 1) * 1250}.00"
        if t == FieldType.DATE:
            return at.astimezone(self.tz).date().isoformat()
        if t == FieldType.DATETIME:
            return at.isoformat()
        if t == FieldType.BOOLEAN:
            return True
        if t == FieldType.CHOICE:
            return spec.choices[0].value if spec.choices else ""
        if t == FieldType.MULTICHOICE:
            return [spec.choices[0].value] if spec.choices else []
        if t == FieldType.USER:
            roles = [str(r) for r in spec.user_roles] or [Role.PARTY_MEMBER.value]
            holders = place.seats.get(roles[0]) or place.seats[Role.PARTY_MEMBER.value]
            return holders[rng.randrange(len(holders))].user_id
        if t == FieldType.MEETING:  # a meeting no rule judges; those of a rule: _data
            due = 7 + k
            return {"due": due, "present": due - 1, "yes": due - 2, "no": 1, "abstain": 0}
        return ""

    def _data(self, spec: ProcedureSpec, step: StepSpec, act: ActionSpec, place: Place,
              at: dt.datetime, route: str | None
              ) -> tuple[dict[str, Any], list[FieldSpec], MeetingRule | None]:
        """Values of an action that the gate would accept, the file fields to attach, and
        the meeting rule that judges them (``workflows.meetings.meeting_rule``)."""
        values: dict[str, Any] = {}
        files: list[FieldSpec] = []
        k = self.rng.randrange(4)
        for fs in act.fields:
            if fs.type == FieldType.FILE:
                if fs.required:
                    files.append(fs)
                continue
            if not fs.required and k == 3:
                continue
            values[fs.name] = self._value(fs, place, k, at)
        if act.route_by and route is not None:
            values[act.route_by.field] = route
        if act.meeting_by:
            name, rules = act.meeting_by.field, act.meeting_by.rules
            if name not in values and rules:
                values[name] = next(iter(rules))
        for name in act.checklist:
            values[name] = True
        for req in act.requires:
            values[req.field] = req.equals
        rule = meeting_rule(act, values)
        if rule is not None:
            values[rule.field] = self.meetings.passing(rule, self.values[spec.code], 7 + k,
                                                       self.rng)
        return values, files, rule

    # -- walking one case ---------------------------------------------------------------

    def _actor(self, step: StepSpec, place: Place,
               done_by: dict[str, set[int]] | None = None) -> tuple[Holder, str, int]:
        """Someone who may do ``step`` of a case of ``place`` (the step's roles, where
        ``acting_region_id`` says), the separation of duties of the spec respected."""
        region_id = self._acting_region(place, step.level)
        where = self.places[region_id]
        barred: set[int] = set()
        sep = step.separation
        if sep is not None and done_by is not None:
            for code in sep.not_actor_of:
                barred |= done_by.get(code, set())
            for barred_role in sep.not_roles:  # held in the case's village
                barred |= {h.user_id for h in place.seats.get(str(barred_role), ())}
        seats = {str(r): [h for h in where.seats.get(str(r), ()) if h.user_id not in barred]
                 for r in step.roles} if barred else where.seats
        roles = [str(r) for r in step.roles if seats.get(str(r))]
        if not roles:
            if barred:  # everyone who may do it is barred: as if the bar did not hold
                self.unseparated += 1
                return self._actor(step, place)
            raise ValueError(f"no holder for {step.code} in {where.name}")
        role = roles[0] if len(roles) == 1 or self.rng.random() < 0.7 else \
            roles[self.rng.randrange(len(roles))]
        holders = seats[role]
        return holders[self.rng.randrange(len(holders))], role, region_id

    def _duration(self, step: StepSpec, act: ActionSpec | None, values: Values,
                  entered: dt.datetime, earliest_end: dt.datetime | None) -> dt.timedelta:
        """How long the case stays at the step: the periods of its rules counted by the
        engine (``gate.add_period``) from ``entered``; never shorter than a publicity
        window (its earliest end) or a minimum wait (counted from ``entered``, which is
        never earlier than the gate's own start of the wait)."""
        rng = self.rng
        periods = self.periods
        days = min(60.0, max(0.02, rng.lognormvariate(0.3, 1.1)))
        span = dt.timedelta(days=days)
        if step.deadline:
            period = step.deadline.period
            length = periods.add_period(entered, values[period.name], period.unit) - entered
            span = length * (rng.uniform(0.1, 0.9) if rng.random() < 0.9
                             else rng.uniform(1.02, 1.6))
        if earliest_end is not None:
            span = max(span, earliest_end - entered + dt.timedelta(days=rng.uniform(0, 2)))
        if act is not None and act.wait is not None:
            wait = act.wait.period
            until = periods.add_period(entered, values[wait.name], wait.unit)
            span = max(span, until - entered + dt.timedelta(days=rng.uniform(1, 20)))
        for rec in step.recurring:
            every = periods.add_months(entered, int(values[rec.every.name])) - entered
            span = max(span, every * rng.uniform(0.5, 3))
        return dt.timedelta(seconds=int(span.total_seconds()),
                            microseconds=rng.randrange(1_000_000))

    def run(self) -> Stats:
        import time

        started = time.perf_counter()
        self.build_tenancy()
        self.stats.seconds["tenancy"] = time.perf_counter() - started
        ids = self._next_ids()
        self.ids = ids
        tables = [m._meta.db_table for m in self._bulk_models()]
        drops: list[str] = []
        builds: list[str] = []
        if self.rebuild_indexes:
            drops, builds = _pg_ddl(tables)
            with connection.cursor() as cur:
                for statement in drops:
                    cur.execute(statement)
        t0 = time.perf_counter()
        try:
            self._load()
        finally:
            self.stats.seconds["load"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            if builds:
                self.log(f"rebuilding {len(builds)} indexes and constraints …")
                with connection.cursor() as cur:
                    cur.execute("SET maintenance_work_mem = '512MB'")
                    for statement in builds:
                        cur.execute(statement)
            self.stats.seconds["indexes"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        self._finish(tables)
        self.stats.seconds["vacuum"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        from workflows.tallies import recount

        recount()  # the dashboard's counts, as the nightly recount would make them
        self.stats.seconds["tallies"] = time.perf_counter() - t3
        return self.stats

    def _bulk_models(self) -> list[type[models.Model]]:
        from seals.models import SealUse

        return [Case, CaseEvent, Task, Deadline, PublicityNotice, Objection, MeetingRecord,
                Notification, Attachment, Alert, SealUse]

    def _finish(self, tables: list[str]) -> None:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":  # explicit ids: move the sequences on
                for table in tables:
                    cur.execute(  # our own table names, not input
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                        f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))")
            if self.is_pg:
                # as autovacuum would have long since done on a living system: statistics,
                # hint bits and the visibility map (index-only scans)
                for table in tables:
                    cur.execute(f'VACUUM (ANALYZE) "{table}"')
                cur.execute('ANALYZE "core_user"')
                cur.execute('ANALYZE "core_membership"')
                cur.execute('ANALYZE "core_region"')

    def _open_sinks(self) -> dict[str, Sink]:
        from seals.models import SealUse

        factory = _pg_conn_factory() if self.is_pg else None
        copy = self.is_pg

        def sink(model: type[models.Model], cols: list[str]) -> Sink:
            return Sink(model, cols, copy=copy, conn_factory=factory)

        # parents first: with --keep-indexes each COPY commits (and checks its foreign
        # keys) as its sink closes, in this order
        return {
            "case": sink(Case, ["id", "procedure", "version", "region_id", "title", "state",
                                "current_step", "outcome", "opened_by_id", "opened_at",
                                "closed_at", "updated_at", "data", "event_count", "last_hash"]),
            # every column, read from the unsaved event that was hashed (_event_row)
            "event": sink(CaseEvent, [f.column for f in CaseEvent._meta.concrete_fields]),
            "attachment": sink(Attachment, ["id", "case_id", "event_id", "field", "file",
                                            "storage_name", "original_name", "mime", "size",
                                            "sha256", "uploaded_by_id", "uploaded_at"]),
            "task": sink(Task, ["id", "case_id", "step", "roles", "region_id", "village_id",
                                "procedure", "state", "opened_at", "due_at", "hard_due_at",
                                "closed_at", "closed_by_id"]),
            "notice": sink(PublicityNotice, ["id", "case_id", "region_id", "procedure", "step",
                                             "title",
                                             "content", "start", "earliest_end", "days",
                                             "working_days", "location", "photo_id", "state",
                                             "ended_at"]),
            "objection": sink(Objection, ["id", "notice_id", "received_at", "content",
                                          "raised_by", "answer", "answered_at",
                                          "answered_by_id"]),
            "deadline": sink(Deadline, ["id", "case_id", "task_id", "notice_id", "kind",
                                        "due_at", "fired_at", "cancelled", "message",
                                        "repeat_months"]),
            "meeting": sink(MeetingRecord, ["id", "case_id", "event_id", "region_id", "step",
                                            "body", "held_at", "due", "present", "yes", "no",
                                            "abstain", "quorum_met", "passed"]),
            "notification": sink(Notification, ["id", "user_id", "case_id", "message",
                                                "created_at", "read_at", "dedupe_key",
                                                "emailed"]),
            "alert": sink(Alert, ["id", "case_id", "region_id", "kind", "message", "actor_id",
                                  "created_at", "dedupe_key"]),
            "sealuse": sink(SealUse, ["id", "seal_id", "region_id", "number", "case_id",
                                      "used_at", "purpose", "document", "document_sha256",
                                      "copies", "matter", "applicant", "approver", "keeper"]),
        }

    def _schedule(self) -> Iterator[tuple[dt.datetime, ProcedureSpec, Place]]:
        """Every case's opening time, procedure and village, in time order."""
        rng = self.rng
        weights = [WEIGHTS.get(s.code, 1.0) for s in self.specs]
        sizes = [rng.uniform(0.5, 1.5) for _ in self.village_places]
        span = self.years * 365 * 86400
        plan = []
        villages = rng.choices(range(len(self.village_places)), weights=sizes, k=self.cases)
        procs = rng.choices(range(len(self.specs)), weights=weights, k=self.cases)
        for i in range(self.cases):
            age = span * rng.random() ** 1.25 + 600
            plan.append((age, procs[i], villages[i]))
        plan.sort(key=lambda p: -p[0])
        for age, proc, village in plan:
            at = self.now - dt.timedelta(seconds=age)
            at = at.replace(microsecond=rng.randrange(1_000_000))
            yield at, self.specs[proc], self.village_places[village]

    def _load(self) -> None:
        # the numbers in force (tenant settings of the new district, if any, applied)
        self.values = {s.code: effective_all(s, self.district) for s in self.specs}
        plan = list(self._schedule())
        jobs = self.jobs if self.is_pg and len(plan) >= 20_000 else 1
        if jobs == 1:
            if self.is_pg:
                self.stats.counts = self._load_part(0, plan)
            else:  # one transaction: foreign keys are checked (deferred) at its end
                with transaction.atomic():
                    self.stats.counts = self._load_part(0, plan)
            return
        import multiprocessing

        # each worker takes whole villages (their time-ordered plan): a village's seal
        # register is numbered by one worker as the portal numbers it, one stamping after
        # another, and the number each stamping event carries is the register's; the ids
        # are interleaved (worker k takes k, k + jobs, ...), so that they still grow with
        # time across workers (the plan is inherited through the fork, never pickled:
        # specs may hold closures)
        parts = [(k, jobs) for k in range(jobs)]
        _release_connection()  # no Django connection (nor pool) crosses the fork
        global _WORKER
        _WORKER = self
        self._plan = plan
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.starmap(_load_part_in_worker, parts)
        finally:
            _WORKER = None
            self._plan = []
        totals: dict[str, int] = {}
        for counts in results:
            for name, n in counts.items():
                totals[name] = totals.get(name, 0) + n
        self.stats.counts = totals

    def _load_part(self, k: int, plan: list[tuple[dt.datetime, ProcedureSpec, Place]],
                   stride: int = 1) -> dict[str, int]:
        if k:
            self.rng = random.Random(f"{self.seed}:{k}")
        if stride > 1:
            self.ids = {label: base + k for label, base in self.ids.items()}
        self.id_stride = stride
        sinks = self._open_sinks()
        self.sinks = sinks
        self.fired = FiredDeadlines()
        try:
            for count, (opened_at, spec, place) in enumerate(plan, 1):
                self._case(spec, place, opened_at)
                if count % 100_000 == 0:
                    self.log(f"  [{k}] {count:,} cases, {sinks['event'].count:,} events")
        finally:
            for sink in sinks.values():
                sink.close()
        periods = self.periods
        self.log(f"  [{k}] window ends: {periods.misses:,} asked of the engine, "
                 f"{periods.hits:,} from the memo")
        if self.unseparated:
            self.log(f"  [{k}] {self.unseparated:,} steps done by someone the separation of "
                     "duties bars (nobody else holds the step's roles there)")
        return {name: sink.count for name, sink in sinks.items()}

    def _take(self, label: str) -> int:
        value = self.ids[label]
        self.ids[label] = value + self.id_stride
        return value

    def _new_event(self, **values: Any) -> CaseEvent:
        """An unsaved ``CaseEvent``: every field at its default, then ``values``. Made as
        unpickling makes a model instance (``__new__``, then its ``__dict__``): twenty
        times cheaper than ``CaseEvent(**values)`` and the same object."""
        ev = CaseEvent.__new__(CaseEvent)
        ev.__dict__.update(self._event_defaults, **values)
        ev._state = ModelState()
        return ev

    def _event_row(self, ev: CaseEvent) -> tuple[Any, ...]:
        """The row of an event: every concrete column, read from the (unsaved) event."""
        row = list(self._event_values(ev))
        for i in self._event_json:
            value = row[i]
            row[i] = _json(value) if value else "[]" if isinstance(value, list) else "{}"
        return tuple(row)

    def _acting_region(self, place: Place, level: str) -> int:
        """``acting.acting_region_id``, once per place and level."""
        key = (place.region_id, level)
        region_id = self._acting.get(key)
        if region_id is None:
            region_id = self._acting[key] = acting_region_id(place.region, level)
        return region_id

    def _case(self, spec: ProcedureSpec, place: Place, opened_at: dt.datetime) -> None:
        """One case walked through its step graph as the gate would have moved it."""
        rng = self.rng
        sinks = self.sinks
        values = self.values[spec.code]
        case_id = self._take("workflows.Case")
        title = f"{place.name}{_PHRASES[rng.randrange(len(_PHRASES))]}({spec.name[:12]})"
        stale = rng.random() < 0.015
        withdraw = rng.random() < 0.02
        events: list[tuple[Any, ...]] = []
        head = [""]  # the hash of the last event
        done_by: dict[str, set[int]] = {}  # who completed each step (acting.done_by)
        case_data: dict[str, Any] = {}
        now = self.now
        made: list[Case] = []
        ref = (case_id, place.region_id, spec.code)

        def case_obj() -> Case:
            """The case as an unsaved row, for the engine functions that read one."""
            if not made:
                made.append(Case(id=case_id, procedure=spec.code, version=spec.version,
                                 region=place.region, title=title, opened_at=opened_at))
            return made[0]

        def event(at: dt.datetime, holder: Holder | None, role: str, region_id: int | None,
                  action: str, action_name: str, from_step: str, to_step: str,
                  data: dict[str, Any], comment: str = "",
                  attachments: list[dict[str, Any]] | None = None,
                  facts: dict[str, Any] | None = None) -> int:
            ev = self._new_event(
                id=self._take("workflows.CaseEvent"), case_id=case_id,
                village_id=place.region_id, seq=len(events) + 1,
                actor_id=holder.user_id if holder else None,
                actor_name=holder.name if holder else "系统", role=role, region_id=region_id,
                action=action, action_name=action_name, from_step=from_step, to_step=to_step,
                data=data, comment=comment, attachments=attachments or [], at=at,
                facts=chain_facts.jsonable(facts or {}), prev_hash=head[0])
            ev.hash = event_hash(ev)  # the engine's own hash, whatever it covers
            events.append(self._event_row(ev))
            head[0] = ev.hash
            if holder is not None and from_step and action not in UNDOING:
                done_by.setdefault(from_step, set()).add(holder.user_id)
            return int(ev.id)

        def entering(code: str, at: dt.datetime, data_then: dict[str, Any]) -> dict[str, Any]:
            """The facts of an event that enters ``code``: the window the gate opens there
            (``gate._open_step``), as ``_notice`` writes it."""
            pub = spec.step(code).publicity
            if pub is None:
                return {}
            n = int(values[pub.days.name])
            posted_title, content = notice_text(spec, spec.step(code), title, data_then)
            return {chain_facts.NOTICE: chain_facts.notice_fact(SimpleNamespace(
                step=code, title=posted_title, content=content, start=at,
                earliest_end=self.periods.window_end(at, n, working_days=pub.working_days),
                days=n, working_days=pub.working_days))}

        def judged(rule: MeetingRule | None, data: dict[str, Any]) -> dict[str, Any]:
            """The facts of an event that records a meeting: its body and verdict."""
            m = data.get(rule.field) if rule is not None else None
            if rule is None or not isinstance(m, dict):
                return {}
            quorum, passed = meeting_result(rule, m, values)
            return {chain_facts.MEETING: chain_facts.meeting_fact(
                field=rule.field, body=rule.body, quorum_met=quorum, passed=passed)}

        def meeting(ev_id: int, step: StepSpec, rule: MeetingRule, data: dict[str, Any],
                    at: dt.datetime) -> None:
            m = data.get(rule.field)
            if not isinstance(m, dict):
                return
            quorum, passed = meeting_result(rule, m, values)
            sinks["meeting"].add((self._take("workflows.MeetingRecord"), case_id, ev_id,
                                  place.region_id, step.code, rule.body, at, m["due"],
                                  m["present"], m["yes"], m["no"], m["abstain"], quorum, passed))

        # the first step's actor opens the case
        step = spec.first_step
        opener, role, region_id = self._actor(step, place)
        t = opened_at
        event(t, opener, role, region_id, EventAction.OPEN, "发起", "", step.code, {},
              facts={chain_facts.CASE: chain_facts.case_opened(
                  procedure=spec.code, version=spec.version, region=place.region_id,
                  title=title), **entering(step.code, t, case_data)})
        closed_at: dt.datetime | None = None
        closer: Holder | None = None
        outcome = ""
        returns = 0
        moves = 0
        stop_after = rng.randrange(1, 6) if stale else None
        final_state = CaseState.OPEN
        last_at = t
        current = ""
        while True:
            entered = t
            moves += 1
            task_id = self._take("workflows.Task")
            acting = self._acting_region(place, step.level)
            forward = [a for a in step.actions if a.kind == Kind.FORWARD]
            act = forward[0] if len(forward) == 1 or rng.random() < 0.9 else \
                forward[rng.randrange(len(forward))]
            due_at, hard_due, planned = step_deadlines(step, values, entered=entered,
                                                       case_opened=opened_at,
                                                       periods=self.periods)
            pub = step.publicity
            earliest = None if pub is None else self.periods.window_end(
                entered, int(values[pub.days.name]), working_days=pub.working_days)
            duration = self._duration(step, act, values, entered, earliest)
            leave = entered + duration
            is_open_here = leave >= now or (stop_after is not None and moves >= stop_after)
            withdraw_here = withdraw and (is_open_here or rng.random() < 0.4) \
                and entered < now - DAY
            if withdraw_here:
                is_open_here = True
                leave = entered + (min(leave, now) - entered) * rng.uniform(0.1, 0.9)
            returned = not is_open_here and not withdraw and bool(step.back_to) \
                and returns < 2 and rng.random() < 0.12
            if returned:
                leave = entered + duration / 2  # when it is sent back
            notice_id = self._take("workflows.PublicityNotice") if pub else None
            # title and content as posted when the step is entered (gate._open_notice)
            posting = notice_text(spec, step, title, case_data) if pub else ("", "")
            posted: dict[str, Any] = {}  # where the notice hangs, and its photo
            # side actions while at the step (before it is left, and before now)
            objections: list[list[Any]] = []  # [id, received, content, by, answer, at, who]
            for side in step.actions:
                if side.kind != Kind.SIDE:
                    continue
                if side.code == "answer_objection" and pub is not None:
                    continue  # answers follow the objections, below
                chance = 0.9 if side.code == "record_posting" else \
                    0.15 if side.code == "record_objection" else 0.5
                if rng.random() >= chance:
                    continue
                at = entered + (duration * rng.uniform(0.05, 0.9))
                if at < now and at < leave and at > last_at:
                    h, r, rid = self._actor(step, place, done_by)
                    data, _files, rule = self._data(spec, step, side, place, at, None)
                    ev_id = event(at, h, r, rid, side.code, side.name, step.code, step.code,
                                  data, facts=judged(rule, data))
                    if rule is not None:
                        meeting(ev_id, step, rule, data, at)
                    case_data[f"{step.code}:{side.code}"] = data
                    last_at = at
                    if pub is not None and "location" in data:
                        posted["location"] = data["location"]
                    if pub is not None and side.code == "record_objection":
                        objections.append([self._take("workflows.Objection"), at,
                                           data.get("content", ""), data.get("raised_by", ""),
                                           "", None, None])
            answer = step.action("answer_objection") if pub is not None else None
            for objection in objections if answer is not None else ():
                # answered before the step is left (the gate refuses to go on before)
                assert answer is not None
                limit = min(leave, now)
                if (is_open_here and rng.random() < 0.5) or last_at >= limit:
                    continue
                at = last_at + (limit - last_at) * rng.uniform(0.1, 0.9)
                h, r, rid = self._actor(step, place, done_by)
                data, _files, _rule = self._data(spec, step, answer, place, at, None)
                event(at, h, r, rid, answer.code, answer.name, step.code, step.code, data)
                case_data[f"{step.code}:{answer.code}"] = data
                objection[4:] = [data.get("answer", ""), at, h.user_id]
                last_at = at
            if not is_open_here and not returned and any(o[5] is None for o in objections):
                # an objection that found no time for its answer: the step waits for it
                is_open_here = True
            wait = act.wait
            if wait is not None and wait.extension is not None and not is_open_here \
                    and not returned:
                extra = case_data.get(wait.extension.key, {}).get(wait.extension.field)
                if isinstance(extra, int) and extra > 0:  # the gate's _wait_until
                    until = self.periods.add_months(
                        self.periods.add_period(entered, values[wait.period.name],
                                                wait.period.unit), extra)
                    if leave <= until:
                        leave = until + dt.timedelta(days=rng.uniform(1, 20))
                        is_open_here = leave >= now
            if returned and not is_open_here:
                # sent back: the task is cancelled and the earlier step opened again
                h, r, rid = self._actor(step, place)
                back = step.back_to[rng.randrange(len(step.back_to))]
                event(leave, h, r, rid, EventAction.RETURN, "退回", step.code, back, {},
                      comment="材料不全,请补充后重新提交。",
                      facts=entering(back, leave, case_data))
                self._visit(ref, case_obj, task_id, step, acting, entered, due_at, hard_due,
                            planned, leave, h, TaskState.CANCELLED, notice_id, earliest)
                if pub is not None:
                    self._notice(notice_id, case_id, place, spec, step, posting,
                                 entered, earliest, values, posted, NoticeState.CANCELLED,
                                 leave, objections)
                returns += 1
                step = spec.step(back)
                t = last_at = leave
                continue
            if withdraw_here:
                event(leave, opener, opener.role, place.region_id, EventAction.WITHDRAW,
                      "撤回", step.code, "", {}, comment="情况变化,撤回申请。",
                      facts={chain_facts.CLOSED: chain_facts.case_closed(
                          state=CaseState.WITHDRAWN, outcome="已撤回")})
                self._visit(ref, case_obj, task_id, step, acting, entered, due_at, hard_due,
                            planned, leave, opener, TaskState.CANCELLED, notice_id, earliest)
                if pub is not None:
                    self._notice(notice_id, case_id, place, spec, step, posting,
                                 entered, earliest, values, posted, NoticeState.CANCELLED,
                                 leave, objections)
                final_state = CaseState.WITHDRAWN
                closed_at = last_at = leave
                outcome = "已撤回"
                break
            if is_open_here:
                self._visit(ref, case_obj, task_id, step, acting, entered, due_at, hard_due,
                            planned, None, None, TaskState.OPEN, notice_id, earliest)
                if pub is not None:
                    self._notice(notice_id, case_id, place, spec, step, posting,
                                 entered, earliest, values, posted, NoticeState.RUNNING,
                                 None, objections)
                current = step.code
                break
            # the way forward
            route = None
            if act.route_by:
                options = list(act.route_by.to)
                route = options[0] if rng.random() < 0.8 or len(options) == 1 else \
                    options[rng.randrange(len(options))]
            data, files, rule = self._data(spec, step, act, place, leave, route)
            target = act.next_step(data)
            h, r, rid = self._actor(step, place, done_by)
            ev_id_peek = self.ids["workflows.CaseEvent"]
            attachments = []
            for fs in files:
                # a stand-in for the uploaded file's SHA-256 (no file is stored)
                digest = f"{rng.getrandbits(256):064x}"
                att_id = self._take("workflows.Attachment")
                name = f"{fs.label[:40]}.pdf"
                data[fs.name] = {"sha256": digest, "name": name, "id": att_id}
                attachments.append({"field": fs.name, "sha256": digest, "name": name})
                if fs.name == "photo":
                    posted["photo"] = att_id
                self.sinks["attachment"].add((
                    att_id, case_id, ev_id_peek, fs.name, f"{digest[:2]}/{digest}.pdf",
                    f"{digest[:2]}/{digest}.pdf", name, "application/pdf", 48_213, digest,
                    h.user_id, leave))
            if pub is not None and "location" in data:
                posted["location"] = data["location"]
            closing = target is None or moves > 60
            facts = judged(rule, data)
            if closing:
                facts[chain_facts.CLOSED] = chain_facts.case_closed(
                    state=CaseState.CLOSED, outcome=act.outcome or act.name)
            else:
                assert target is not None
                facts.update(entering(target, leave, {**case_data, step.code: data}))
            line = None
            if spec.code in ("04.1", "04.2", "04.3") and act.code == "stamp":
                line = self._seal_line(case_id, place, spec, case_data, leave, h)
                facts[SEAL_USE_FACT] = line_fact(line)
            ev_id = event(leave, h, r, rid, act.code, act.name, step.code,
                          "" if closing else target or "", data, attachments=attachments,
                          facts=facts)
            case_data[step.code] = data
            last_at = leave
            if rule is not None:
                meeting(ev_id, step, rule, data, leave)
            self._visit(ref, case_obj, task_id, step, acting, entered, due_at, hard_due, planned,
                        leave, h, TaskState.DONE, notice_id, earliest)
            if pub is not None:
                self._notice(notice_id, case_id, place, spec, step, posting, entered,
                             earliest, values, posted, NoticeState.ENDED, leave, objections)
            if line is not None:
                self._seal_use(line)
            if closing:
                final_state = CaseState.CLOSED
                closed_at = leave
                closer = h
                outcome = act.outcome or act.name
                break
            step = spec.step(target)
            t = leave
        if final_state == CaseState.CLOSED and closer is not None \
                and closer.user_id != opener.user_id and rng.random() < 0.3:
            # the opener is told (notify.queue_closed_notice); read a day later
            assert closed_at is not None
            sinks["notification"].add((self._take("workflows.Notification"), opener.user_id,
                                       case_id, closed_message(title, outcome), closed_at,
                                       closed_at + DAY, f"closed:{case_id}:{opener.user_id}",
                                       True))
        sinks["case"].add((case_id, spec.code, spec.version, place.region_id, title,
                           final_state, current, outcome, opener.user_id, opened_at, closed_at,
                           last_at, _json(case_data), len(events), head[0]))
        add = sinks["event"].add
        for row in events:
            add(row)

    def _notice(self, notice_id: int | None, case_id: int, place: Place, spec: ProcedureSpec,
                step: StepSpec, posting: tuple[str, str],
                start: dt.datetime, earliest: dt.datetime | None, values: Values,
                posted: dict[str, Any], state: str, ended: dt.datetime | None,
                objections: list[list[Any]]) -> None:
        """The notice the gate posted when the step was entered (``gate._open_notice``),
        as it stands when the step is left: where it hung and its photo (recorded by the
        step's actions), its objections."""
        assert step.publicity is not None
        assert notice_id is not None
        assert earliest is not None
        title, content = posting
        self.sinks["notice"].add((notice_id, case_id, place.region_id, spec.code, step.code,
                                  title, content, start, earliest,
                                  int(values[step.publicity.days.name]),
                                  step.publicity.working_days, posted.get("location", ""),
                                  posted.get("photo"), state, ended))
        for objection_id, received, text, by, answer, answered, who in objections:
            self.sinks["objection"].add((objection_id, notice_id, received, text, by, answer,
                                         answered, who))

    def _visit(self, ref: tuple[int, int, str], case: Callable[[], Case], task_id: int,
               step: StepSpec, region_id: int,
               opened: dt.datetime, due_at: dt.datetime | None, hard_due: dt.datetime | None,
               planned: list[Planned], closed: dt.datetime | None, by: Holder | None,
               state: str, notice_id: int | None, earliest: dt.datetime | None) -> None:
        """The task of one visit to a step and its deadlines, as the gate wrote them when
        the step was entered and the sweep fired them until the step was left."""
        rng = self.rng
        now = self.now
        roles = Task.pack_roles(step.roles)
        case_id, village_id, procedure = ref
        self.sinks["task"].add((task_id, case_id, step.code, roles, region_id, village_id,
                                procedure, state, opened, due_at, hard_due, closed,
                                by.user_id if by else None))
        end = closed if closed is not None else now
        rows: list[tuple[Planned, int | None]] = []
        for d in planned:
            if d.kind == DeadlineKind.RECURRING:
                # each one fired while the task was open wrote the next (sweep.sweep)
                for _ in range(24):
                    if d.due_at > end:
                        break
                    rows.append((d, None))
                    d = next_recurring(d, self.periods)
                else:
                    continue
            rows.append((d, None))
        if notice_id is not None and earliest is not None:
            rows.append((Planned(DeadlineKind.WINDOW_END, earliest), notice_id))
        for d, notice in rows:
            deadline_id = self._take("workflows.Deadline")
            fired: dt.datetime | None = None
            if d.due_at <= end:  # the sweep (every few minutes) fired it while the step was open
                fired = min(d.due_at + dt.timedelta(seconds=rng.randrange(5, 180)), end)
                if closed is None:
                    self._told(case(), deadline_id, d, step, region_id, roles, due_at, fired)
            self.sinks["deadline"].add((deadline_id, case_id, task_id, notice, d.kind, d.due_at,
                                        fired, fired is None and closed is not None,
                                        d.message, d.repeat_months))

    def _told(self, case: Case, deadline_id: int, d: Planned, step: StepSpec, region_id: int,
              roles: str, due_at: dt.datetime | None, fired: dt.datetime) -> None:
        """What the sweep wrote when the deadline fired: its message (and an alert when
        overdue) to one of those it tells, picked at random (the volume of one
        notification per deadline of the open tasks; the sweep tells them all)."""
        message, users = self.fired(kind=d.kind, message=d.message,
                                    repeat_months=d.repeat_months, case=case,
                                    task_region=self.places[region_id].region, roles=roles,
                                    due_at=due_at)
        if d.kind == DeadlineKind.ESCALATION:  # sweep: raise_case_alerts(OVERDUE, ...)
            self.sinks["alert"].add((self._take("workflows.Alert"), case.pk, case.region_id,
                                     AlertKind.OVERDUE, message[:400], None, fired,
                                     f"overdue:{deadline_id}"))
        if not users:
            return
        user_id = users[self.rng.randrange(len(users))]
        self.sinks["notification"].add((
            self._take("workflows.Notification"), user_id, case.pk, message[:400], fired,
            None if self.rng.random() < 0.6 else fired + DAY,
            f"deadline:{deadline_id}:{user_id}", False))

    def _seal_line(self, case_id: int, place: Place, spec: ProcedureSpec,
                   case_data: dict[str, Any], at: dt.datetime, keeper: Holder) -> Any:
        """The seal register line of a stamping, numbered (the stamping event carries it:
        ``seals.effects``' fact)."""
        from seals.choices import PROCEDURE_SEAL

        kind = PROCEDURE_SEAL[spec.code]
        seal_id = self.seal_ids[(place.region_id, kind.value)]
        number = self.seal_numbers.get(seal_id, 0) + 1
        self.seal_numbers[seal_id] = number
        apply = case_data.get("apply", {})
        document = apply.get("document") or {}
        approver = place.seats.get(Role.COMMITTEE_DIRECTOR.value, [keeper])[0]
        applicant = place.seats.get(Role.COMMITTEE_MEMBER.value, [keeper])[0]
        return SimpleNamespace(
            id=self._take("seals.SealUse"), seal_id=seal_id, region_id=place.region_id,
            number=number, case_id=case_id, used_at=at, purpose=apply.get("purpose", "")[:200],
            document=document.get("name", ""), document_sha256=document.get("sha256", ""),
            copies=int(apply.get("copies", 1)), matter=apply.get("matter", ""),
            applicant=applicant.name, approver=approver.name, keeper=keeper.name)

    def _seal_use(self, line: Any) -> None:
        self.sinks["sealuse"].add((
            line.id, line.seal_id, line.region_id, line.number, line.case_id, line.used_at,
            line.purpose, line.document, line.document_sha256, line.copies, line.matter,
            line.applicant, line.approver, line.keeper))


_WORKER: Generator | None = None


def _release_connection() -> None:
    """Close Django's connection and its psycopg pool (the pool's idle connections and
    threads must not be shared by forked workers: each makes its own when it first asks
    the engine something of the database, e.g. the holiday table)."""
    connection.close()
    close_pool = getattr(connection, "close_pool", None)
    if close_pool is not None:
        close_pool()


def _load_part_in_worker(k: int, jobs: int) -> dict[str, int]:
    assert _WORKER is not None
    try:
        return _WORKER._load_part(k, [p for p in _WORKER._plan if p[2].region_id % jobs == k],
                                  stride=jobs)
    finally:
        _release_connection()


def generate(*, townships: int, villages: int, cases: int, seed: int, now: dt.datetime,
             log: Callable[[str], None] = print, rebuild_indexes: bool = True,
             jobs: int = 2) -> Stats:
    gen = Generator(townships=townships, villages=villages, cases=cases, seed=seed, now=now,
                    log=log, rebuild_indexes=rebuild_indexes, jobs=jobs)
    return gen.run()
