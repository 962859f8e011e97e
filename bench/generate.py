"""A synthetic district for scale tests: regions, people, and years of cases (bench data).

``python -m bench.generate_district`` calls :func:`generate`. Rows are built in
Python and written with COPY on PostgreSQL (psycopg 3 ``cursor.copy``, one
connection per table so that the server parses while Python builds) and with
``executemany`` elsewhere. Every case is walked through its procedure's step
graph as the gate would: the chained events (hashed with
:func:`workflows.audit.event_hash`), the case head (``event_count``,
``last_hash``), one task per step (the open one for an open case), deadlines,
publicity notices, meeting records and the seal register. The output depends
only on the seed and the reference time ``now``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Max

from core.models import Membership, Region, User
from core.roles import Level, Role, roles_of_level
from workflows.audit import event_hash
from workflows.choices import CaseState, DeadlineKind, EventAction, NoticeState, TaskState
from workflows.models import (
    Alert,
    Attachment,
    Case,
    CaseEvent,
    Deadline,
    MeetingRecord,
    Notification,
    PublicityNotice,
    Task,
)
from workflows.registry import registry
from workflows.spec import ActionSpec, FieldSpec, FieldType, Kind, ProcedureSpec, StepSpec, Unit

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


@dataclass
class Place:
    region_id: int
    name: str
    level: Level
    township_id: int
    district_id: int
    seats: dict[str, list[Holder]] = field(default_factory=dict)


@dataclass
class EventNS:
    """The attributes event_hash reads, without a model instance."""

    case_id: int
    seq: int
    actor_id: int | None
    role: str
    region_id: int | None
    action: str
    from_step: str
    to_step: str
    data: dict[str, Any]
    comment: str
    attachments: list[dict[str, Any]]
    at: dt.datetime
    prev_hash: str


def _period_days(value: Any, unit: Unit) -> float:
    n = float(value)
    if unit == Unit.MONTHS:
        return n * 30.44
    if unit == Unit.WORKING_DAYS:
        return n * 7 / 5 + 1
    return n


def _window_end(start: dt.datetime, days: int, working: bool) -> dt.datetime:
    """Midnight (UTC+8) after ``days`` (working: Monday to Friday) days."""
    local = start + dt.timedelta(hours=8)
    day = local.date()
    if working:
        left = days
        while left:
            day += DAY
            if day.weekday() < 5:
                left -= 1
    else:
        day += dt.timedelta(days=days)
    return dt.datetime.combine(day + DAY, dt.time(), tzinfo=dt.UTC) - dt.timedelta(hours=8)


_canonical_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                                   default=str).encode
_json_str = json.encoder.encode_basestring  # ensure_ascii=False, as canonical() writes strings


def _event_digest(case_id: int, seq: int, actor_id: int | None, role: str,
                  region_id: int | None, action: str, from_step: str, to_step: str,
                  data_json: str, comment: str, attachments_json: str, at: dt.datetime,
                  prev: str) -> str:
    """``workflows.audit.event_hash`` of an event, from JSON already made (sorted keys).

    The same bytes as ``canonical(event_payload(event))``, written directly: one JSON
    encoding of ``data`` serves both the hash and the row. The generator checks it
    against ``event_hash`` on its first events and every 20,000th.
    """
    text = (
        f'{{"action":{_json_str(action)},'
        f'"actor":{"null" if actor_id is None else actor_id},'
        f'"at":"{at.astimezone(dt.UTC).isoformat(timespec="microseconds")}",'
        f'"attachments":{attachments_json},"case":{case_id},"comment":{_json_str(comment)},'
        f'"data":{data_json},"from":{_json_str(from_step)},"prev":{_json_str(prev)},'
        f'"region":{"null" if region_id is None else region_id},"role":{_json_str(role)},'
        f'"seq":{seq},"to":{_json_str(to_step)}}}'
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
        self.variants: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        self.stats = Stats()
        self._plan: list[tuple[dt.datetime, ProcedureSpec, Place]] = []
        self._hashed = 0

    # -- ids ------------------------------------------------------------------------------

    def _next_ids(self) -> dict[str, int]:
        models_ = [Case, CaseEvent, Task, Deadline, PublicityNotice, MeetingRecord, Notification,
                   Attachment, Alert]
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
            ids = region.ancestor_ids
            places[region.pk] = Place(region.pk, region.name, Level(region.level),
                                      ids[1] if len(ids) > 1 else region.pk, ids[0])
        for index, username, region, role in seats:
            places[region.pk].seats.setdefault(role.value, []).append(
                Holder(by_name[username], users[index].full_name))
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
        if t == FieldType.STRING:
            return _PHRASES[(k * 5 + len(spec.name)) % len(_PHRASES)]
        if t == FieldType.TEXT:
            return _TEXTS[k % len(_TEXTS)]
        if t == FieldType.INTEGER:
            return 1 + k % 4
        if t == FieldType.DECIMAL:
            return f"{(k + 1) * 1250}.00"
        if t == FieldType.DATE:
            return (at + dt.timedelta(hours=8)).date().isoformat()
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
        if t == FieldType.MEETING:
            due = 7 + k
            return {"due": due, "present": due - 1, "yes": due - 2, "no": 1, "abstain": 0}
        return ""

    def _data(self, spec: ProcedureSpec, step: StepSpec, act: ActionSpec, place: Place,
              at: dt.datetime, route: str | None) -> tuple[dict[str, Any], list[FieldSpec]]:
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
        return values, files

    # -- walking one case ---------------------------------------------------------------

    def _actor(self, step: StepSpec, place: Place) -> tuple[Holder, str, int]:
        region_id = {Level.VILLAGE: place.region_id, Level.TOWNSHIP: place.township_id,
                     Level.DISTRICT: place.district_id}[Level(step.level)]
        where = self.places[region_id]
        roles = [str(r) for r in step.roles if where.seats.get(str(r))]
        if not roles:
            raise ValueError(f"no holder for {step.code} in {where.name}")
        role = roles[0] if len(roles) == 1 or self.rng.random() < 0.7 else \
            roles[self.rng.randrange(len(roles))]
        holders = where.seats[role]
        return holders[self.rng.randrange(len(holders))], role, region_id

    def _duration(self, spec: ProcedureSpec, step: StepSpec, act: ActionSpec | None,
                  params: dict[str, Any]) -> dt.timedelta:
        rng = self.rng
        days = min(60.0, max(0.02, rng.lognormvariate(0.3, 1.1)))
        if step.deadline:
            period = _period_days(params[step.deadline.period.name].value,
                                  step.deadline.period.unit)
            days = period * (rng.uniform(0.1, 0.9) if rng.random() < 0.9
                             else rng.uniform(1.02, 1.6))
        if step.publicity:
            pub = step.publicity.days
            days = max(days, _period_days(params[pub.name].value, pub.unit) + rng.uniform(0, 2))
        if act is not None and act.wait is not None:
            wait = act.wait.period
            days = max(days, _period_days(params[wait.name].value, wait.unit)
                       + rng.uniform(1, 20))
        for rec in step.recurring:
            days = max(days, rng.uniform(0.5, 3) * _period_days(params[rec.every.name].value,
                                                                rec.every.unit))
        return dt.timedelta(seconds=int(days * 86400) + rng.randrange(1_000_000) / 1e6)

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

        return [Case, CaseEvent, Task, Deadline, PublicityNotice, MeetingRecord, Notification,
                Attachment, Alert, SealUse]

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

        return {
            "case": sink(Case, ["id", "procedure", "version", "region_id", "title", "state",
                                "current_step", "outcome", "opened_by_id", "opened_at",
                                "closed_at", "updated_at", "data", "event_count", "last_hash"]),
            "event": sink(CaseEvent, ["id", "case_id", "seq", "actor_id", "actor_name", "role",
                                      "region_id", "action", "action_name", "from_step",
                                      "to_step", "data", "comment", "attachments", "at",
                                      "prev_hash", "hash"]),
            "task": sink(Task, ["id", "case_id", "step", "roles", "region_id", "village_id",
                                "procedure", "state", "opened_at", "due_at", "hard_due_at",
                                "closed_at", "closed_by_id"]),
            "deadline": sink(Deadline, ["id", "case_id", "task_id", "notice_id", "kind",
                                        "due_at", "fired_at", "cancelled", "message",
                                        "repeat_months"]),
            "notice": sink(PublicityNotice, ["id", "case_id", "region_id", "procedure", "step",
                                             "title",
                                             "content", "start", "earliest_end", "days",
                                             "working_days", "location", "photo_id", "state",
                                             "ended_at"]),
            "meeting": sink(MeetingRecord, ["id", "case_id", "event_id", "region_id", "step",
                                            "body", "held_at", "due", "present", "yes", "no",
                                            "abstain", "quorum_met", "passed"]),
            "notification": sink(Notification, ["id", "user_id", "case_id", "message",
                                                "created_at", "read_at", "dedupe_key",
                                                "emailed"]),
            "attachment": sink(Attachment, ["id", "case_id", "event_id", "field", "file",
                                            "storage_name", "original_name", "mime", "size",
                                            "sha256", "uploaded_by_id", "uploaded_at"]),
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
        self.params = {s.code: s.all_params() for s in self.specs}
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

        # contiguous slices of the time-ordered plan; each worker numbers its rows from
        # its own block of ids (gaps are harmless) so that ids still grow with time
        # (the plan is inherited through the fork, never pickled: specs may hold closures)
        size = -(-len(plan) // jobs)
        parts = [(k, k * size, (k + 1) * size) for k in range(jobs)]
        connection.close()  # no Django connection crosses the fork
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
        if totals.get("sealuse"):
            with connection.cursor() as cur:  # one register numbering across the workers
                cur.execute(
                    "UPDATE seals_sealuse s SET number = r.n FROM (SELECT id, row_number() "
                    "OVER (PARTITION BY seal_id ORDER BY used_at, id) AS n FROM seals_sealuse "
                    "WHERE id >= %s) r WHERE r.id = s.id", [self.ids["seals.SealUse"]])

    def _load_part(self, k: int, plan: list[tuple[dt.datetime, ProcedureSpec, Place]]
                   ) -> dict[str, int]:
        if k:
            self.rng = random.Random(f"{self.seed}:{k}")
            self.ids = {label: base + k * ID_BLOCK for label, base in self.ids.items()}
        sinks = self._open_sinks()
        self.sinks = sinks
        try:
            for count, (opened_at, spec, place) in enumerate(plan, 1):
                self._case(spec, place, opened_at)
                if count % 100_000 == 0:
                    self.log(f"  [{k}] {count:,} cases, {sinks['event'].count:,} events")
        finally:
            for sink in sinks.values():
                sink.close()
        return {name: sink.count for name, sink in sinks.items()}

    def _take(self, label: str) -> int:
        value = self.ids[label]
        self.ids[label] = value + 1
        return value

    def _case(self, spec: ProcedureSpec, place: Place, opened_at: dt.datetime) -> None:
        rng = self.rng
        sinks = self.sinks
        params = self.params[spec.code]
        case_id = self._take("workflows.Case")
        title = f"{place.name}{_PHRASES[rng.randrange(len(_PHRASES))]}({spec.name[:12]})"
        stale = rng.random() < 0.015
        withdraw = rng.random() < 0.02
        events: list[tuple[Any, ...]] = []
        seq = [0]
        prev = [""]
        case_data: dict[str, Any] = {}
        now = self.now

        def event(at: dt.datetime, holder: Holder | None, role: str, region_id: int | None,
                  action: str, action_name: str, from_step: str, to_step: str,
                  data: dict[str, Any], comment: str = "",
                  attachments: list[dict[str, Any]] | None = None) -> int:
            seq[0] += 1
            ev_id = self._take("workflows.CaseEvent")
            actor_id = holder.user_id if holder else None
            data_json = _canonical_json(data) if data else "{}"
            attachments_json = _canonical_json(attachments) if attachments else "[]"
            digest = _event_digest(case_id, seq[0], actor_id, role, region_id, action,
                                   from_step, to_step, data_json, comment, attachments_json,
                                   at, prev[0])
            self._hashed += 1
            if self._hashed <= 50 or self._hashed % 20_000 == 0:  # the engine's own hash
                ns = EventNS(case_id, seq[0], actor_id, role, region_id, action, from_step,
                             to_step, data, comment, attachments or [], at, prev[0])
                if event_hash(ns) != digest:
                    raise RuntimeError("generator: event hash differs from workflows.audit")
            events.append((ev_id, case_id, seq[0], actor_id,
                           holder.name if holder else "系统", role, region_id, action,
                           action_name, from_step, to_step, data_json, comment,
                           attachments_json, at, prev[0], digest))
            prev[0] = digest
            return ev_id

        # the first step's actor opens the case
        step = spec.first_step
        holder, role, region_id = self._actor(step, place)
        opener = holder
        t = opened_at
        event(t, holder, role, region_id, EventAction.OPEN, "发起", "", step.code, {})
        closed_at: dt.datetime | None = None
        outcome = ""
        returns = 0
        moves = 0
        stop_after = rng.randrange(1, 6) if stale else None
        final_state = CaseState.OPEN
        last_at = t
        while True:
            entered = t
            moves += 1
            task_id = self._take("workflows.Task")
            acting = {Level.VILLAGE: place.region_id, Level.TOWNSHIP: place.township_id,
                      Level.DISTRICT: place.district_id}[Level(step.level)]
            forward = [a for a in step.actions if a.kind == Kind.FORWARD]
            act = forward[0] if len(forward) == 1 or rng.random() < 0.9 else \
                forward[rng.randrange(len(forward))]
            duration = self._duration(spec, step, act, params)
            due_at = hard_due = None
            if step.deadline:
                base = entered if step.deadline.due_from == "step_entered" else opened_at
                period = step.deadline.period
                due_at = base + dt.timedelta(days=_period_days(params[period.name].value,
                                                               period.unit))
                if step.deadline.hard_limit:
                    hard = step.deadline.hard_limit
                    hard_due = base + dt.timedelta(days=_period_days(params[hard.name].value,
                                                                     hard.unit))
            leave = entered + duration
            is_open_here = leave >= now or (stop_after is not None and moves >= stop_after)
            withdraw_here = withdraw and (is_open_here or rng.random() < 0.4) \
                and entered < now - DAY
            if withdraw_here:
                is_open_here = True
                leave = entered + (min(leave, now) - entered) * rng.uniform(0.1, 0.9)
            notice_id = None
            if step.publicity:
                notice_id = self._notice(case_id, place, spec, step, title, entered, params,
                                         leave, NoticeState.CANCELLED if withdraw_here
                                         else NoticeState.RUNNING if is_open_here
                                         else NoticeState.ENDED)
            # side actions while at the step
            for side in step.actions:
                if side.kind != Kind.SIDE:
                    continue
                chance = 0.9 if side.code == "record_posting" else \
                    0.15 if side.code in ("record_objection", "answer_objection") else 0.5
                if rng.random() >= chance:
                    continue
                at = entered + (duration * rng.uniform(0.05, 0.9))
                if at < now and at < leave and at > last_at:
                    h, r, rid = self._actor(step, place)
                    data, _files = self._data(spec, step, side, place, at, None)
                    event(at, h, r, rid, side.code, side.name, step.code, step.code, data)
                    case_data[f"{step.code}:{side.code}"] = data
                    last_at = at
            if not is_open_here and not withdraw and step.back_to and returns < 2 \
                    and rng.random() < 0.12:
                # returned: the task is cancelled and the earlier step opened again
                at = entered + duration / 2
                h, r, rid = self._actor(step, place)
                back = step.back_to[rng.randrange(len(step.back_to))]
                event(at, h, r, rid, EventAction.RETURN, "退回", step.code, back, {},
                      comment="材料不全,请补充后重新提交。")
                self._task_rows(task_id, case_id, step, acting, entered, due_at, hard_due,
                                at, h, TaskState.CANCELLED, notice_id, spec, place, title)
                returns += 1
                step = spec.step(back)
                t = at
                last_at = at
                continue
            if withdraw_here:
                event(leave, opener, events[0][5], events[0][6], EventAction.WITHDRAW, "撤回",
                      step.code, "", {}, comment="情况变化,撤回申请。")
                self._task_rows(task_id, case_id, step, acting, entered, due_at, hard_due,
                                leave, opener, TaskState.CANCELLED, notice_id, spec, place,
                                title)
                final_state = CaseState.WITHDRAWN
                closed_at = leave
                outcome = "已撤回"
                last_at = leave
                current = ""
                break
            if is_open_here:
                self._task_rows(task_id, case_id, step, acting, entered, due_at, hard_due,
                                None, None, TaskState.OPEN, notice_id, spec, place, title)
                current = step.code
                break
            # the forward action
            route = None
            target = act.to
            if act.route_by:
                options = list(act.route_by.to.items())
                route, target = options[0] if rng.random() < 0.8 or len(options) == 1 else \
                    options[rng.randrange(len(options))]
            data, files = self._data(spec, step, act, place, leave, route)
            h, r, rid = self._actor(step, place)
            ev_id_peek = self.ids["workflows.CaseEvent"]
            attachments = []
            for fs in files:
                digest = hashlib.sha256(f"{case_id}:{step.code}:{fs.name}".encode()).hexdigest()
                att_id = self._take("workflows.Attachment")
                name = f"{fs.label[:40]}.pdf"
                data[fs.name] = {"sha256": digest, "name": name, "id": att_id}
                attachments.append({"field": fs.name, "sha256": digest, "name": name})
                self.sinks["attachment"].add((
                    att_id, case_id, ev_id_peek, fs.name, f"{digest[:2]}/{digest}.pdf",
                    f"{digest[:2]}/{digest}.pdf", name, "application/pdf", 48_213, digest,
                    h.user_id, leave))
            ev_id = event(leave, h, r, rid, act.code, act.name, step.code, target or "", data,
                          attachments=attachments)
            case_data[step.code] = data
            last_at = leave
            rule = None
            if act.meeting_by:
                rule = act.meeting_by.rules.get(str(data.get(act.meeting_by.field)))
            elif act.meeting:
                rule = act.meeting
            if rule is not None and isinstance(data.get(rule.field), dict):
                m = data[rule.field]
                sinks["meeting"].add((self._take("workflows.MeetingRecord"), case_id, ev_id,
                                      place.region_id, step.code, rule.body, leave, m["due"],
                                      m["present"], m["yes"], m["no"], m["abstain"], True, True))
            self._task_rows(task_id, case_id, step, acting, entered, due_at, hard_due, leave, h,
                            TaskState.DONE, notice_id, spec, place, title)
            if spec.code in ("04.1", "04.2", "04.3") and act.code == "stamp":
                self._seal_use(case_id, place, spec, case_data, leave, h)
            if target is None or moves > 60:
                final_state = CaseState.CLOSED
                closed_at = leave
                outcome = act.outcome or act.name
                current = ""
                break
            step = spec.step(target)
            t = leave
        if final_state == CaseState.CLOSED and rng.random() < 0.3:
            sinks["notification"].add((self._take("workflows.Notification"), opener.user_id,
                                       case_id, f"“{title}”已办结。", closed_at,
                                       closed_at + DAY if closed_at else None, None, True))
        sinks["case"].add((case_id, spec.code, spec.version, place.region_id, title,
                           final_state, current, outcome, opener.user_id, opened_at, closed_at,
                           last_at, json.dumps(case_data, ensure_ascii=False), seq[0],
                           prev[0]))
        add = sinks["event"].add
        for row in events:
            add(row)

    def _notice(self, case_id: int, place: Place, spec: ProcedureSpec, step: StepSpec,
                title: str, start: dt.datetime, params: dict[str, Any], leave: dt.datetime,
                state: str) -> int:
        assert step.publicity is not None
        pub = step.publicity
        n = int(params[pub.days.name].value)
        earliest = _window_end(start, n, pub.working_days)
        notice_id = self._take("workflows.PublicityNotice")
        running = state == NoticeState.RUNNING
        self.sinks["notice"].add((notice_id, case_id, place.region_id, spec.code, step.code,
                                  f"{pub.title}:{title}", "", start, earliest, n,
                                  pub.working_days, "村级组织活动场所公开栏", None, state,
                                  None if running else leave))
        self._pending_window = (notice_id, earliest)
        return notice_id

    def _task_rows(self, task_id: int, case_id: int, step: StepSpec, region_id: int,
                   opened: dt.datetime, due_at: dt.datetime | None,
                   hard_due: dt.datetime | None, closed: dt.datetime | None,
                   by: Holder | None, state: str, notice_id: int | None, spec: ProcedureSpec,
                   place: Place, title: str) -> None:
        rng = self.rng
        now = self.now
        self.sinks["task"].add((task_id, case_id, step.code, Task.pack_roles(step.roles),
                                region_id, place.region_id, spec.code, state, opened, due_at,
                                hard_due, closed,
                                by.user_id if by else None))
        deadlines: list[tuple[str, dt.datetime, str, int | None, int | None]] = []
        if step.deadline and due_at is not None:
            for lead in sorted(set(step.deadline.remind_days), reverse=True):
                at = due_at - dt.timedelta(days=max(1, lead))
                if at > opened:
                    deadlines.append((DeadlineKind.REMINDER, at, "", None, None))
            deadlines.append((DeadlineKind.OVERDUE, due_at, "", None, None))
            if step.deadline.escalate:
                deadlines.append((DeadlineKind.ESCALATION, due_at, "", None, None))
            if hard_due is not None:
                deadlines.append((DeadlineKind.HARD_LIMIT, hard_due, "", None, None))
        params = self.params[spec.code]
        for rec in step.recurring:
            every = int(params[rec.every.name].value)
            nxt = opened + dt.timedelta(days=every * 30.44)
            end = closed or now
            while nxt <= end and len(deadlines) < 12:
                deadlines.append((DeadlineKind.RECURRING, nxt, rec.message, every, None))
                nxt += dt.timedelta(days=every * 30.44)
            if closed is None:
                deadlines.append((DeadlineKind.RECURRING, nxt, rec.message, every, None))
        if step.publicity and notice_id is not None:
            deadlines.append((DeadlineKind.WINDOW_END, self._pending_window[1], "", None,
                              notice_id))
        holders = place.seats.get(str(step.roles[0])) if region_id == place.region_id else \
            self.places[region_id].seats.get(str(step.roles[0]))
        for kind, at, message, repeat, notice in deadlines:
            fired: dt.datetime | None
            deadline_id = self._take("workflows.Deadline")
            end = closed if closed is not None else now
            if at <= end:  # the sweep (every few minutes) fired it while the step was open
                fired_at = at + dt.timedelta(seconds=rng.randrange(5, 180))
                fired = fired_at
                cancelled = False
                if closed is None and holders and kind != DeadlineKind.RECURRING:
                    holder = holders[rng.randrange(len(holders))]
                    self.sinks["notification"].add((
                        self._take("workflows.Notification"), holder.user_id, case_id,
                        f"【{DeadlineKind(kind).label}】“{title}”", fired_at,
                        None if rng.random() < 0.6 else fired_at + DAY,
                        f"deadline:{deadline_id}:{holder.user_id}", False))
                    if kind == DeadlineKind.ESCALATION:
                        self.sinks["alert"].add((
                            self._take("workflows.Alert"), case_id, place.region_id,
                            "overdue", f"“{title}”已超过办理时限", None, fired,
                            f"overdue:{deadline_id}"))
            else:
                fired, cancelled = None, closed is not None
            self.sinks["deadline"].add((deadline_id, case_id, task_id, notice, kind, at, fired,
                                        cancelled, message, repeat))

    def _seal_use(self, case_id: int, place: Place, spec: ProcedureSpec,
                  case_data: dict[str, Any], at: dt.datetime, keeper: Holder) -> None:
        from seals.choices import PROCEDURE_SEAL

        kind = PROCEDURE_SEAL[spec.code]
        seal_id = self.seal_ids[(place.region_id, kind.value)]
        number = self.seal_numbers.get(seal_id, 0) + 1
        self.seal_numbers[seal_id] = number
        apply = case_data.get("apply", {})
        document = apply.get("document") or {}
        approver = place.seats.get(Role.COMMITTEE_DIRECTOR.value, [keeper])[0]
        applicant = place.seats.get(Role.COMMITTEE_MEMBER.value, [keeper])[0]
        self.sinks["sealuse"].add((
            self._take("seals.SealUse"), seal_id, place.region_id, number, case_id, at,
            apply.get("purpose", "")[:200], document.get("name", ""), document.get("sha256", ""),
            int(apply.get("copies", 1)), apply.get("matter", ""), applicant.name, approver.name,
            keeper.name))


_WORKER: Generator | None = None
ID_BLOCK = 200_000_000  # ids per worker: far more rows than one worker writes


def _load_part_in_worker(k: int, start: int, stop: int) -> dict[str, int]:
    assert _WORKER is not None
    return _WORKER._load_part(k, _WORKER._plan[start:stop])


def generate(*, townships: int, villages: int, cases: int, seed: int, now: dt.datetime,
             log: Callable[[str], None] = print, rebuild_indexes: bool = True,
             jobs: int = 2) -> Stats:
    gen = Generator(townships=townships, villages=villages, cases=cases, seed=seed, now=now,
                    log=log, rebuild_indexes=rebuild_indexes, jobs=jobs)
    return gen.run()
