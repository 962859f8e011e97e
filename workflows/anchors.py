"""Anchors of the event log outside the database: one digest per township and day (存证摘要).

Each night (Celery beat, ``anchor_chains_task``; by hand ``python manage.py anchor_chains``)
the chain heads of the day before are folded into one digest per township: for every case
of its villages that changed that day, the hash of its last event of the day, sorted by
case id, with the township's digest of the day before, under the audit key:

    HMAC(AUDIT_KEY, "portal-anchor-v1" \\n township id \\n day \\n previous digest
                    \\n case id:hash \\n case id:hash …)

The digest is kept (``ChainDigest``, with the heads it folds), shown on every public
board of the township ("今日存证") and sent to the township's party committee,
government and discipline commission as a notification (and so by e-mail). From then
on it is out of the database's reach: whoever rewrites a history and re-chains it — even
with the key — can no longer make it fold into the digest people have kept.
``verify_audit`` recomputes every day's heads from the events and compares them with the
digests (naming the cases that differ), checks each digest's own HMAC and that each
links to the one before, and, with ``--anchor``, compares a digest someone kept with the
one the portal holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Region
from core.roles import Level, Role
from workflows.audit import UnknownKey, keyring, mac, same
from workflows.messages import Text
from workflows.models import Case, CaseEvent, ChainDigest
from workflows.notify import send, users_holding

VERSION = "portal-anchor-v1"
# who is sent the township's digest every morning
RECIPIENTS = (Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT, Role.TOWNSHIP_DISCIPLINE)
CHUNK_DAYS = 31  # days of events read at once when the digests are checked

Heads = list[list[int | str]]


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day as [start, end) instants."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start, end


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def village_ids(township: Region) -> list[int]:
    return list(Region.objects.filter(parent=township, level=Level.VILLAGE)
                .values_list("pk", flat=True))


def heads_of_day(villages: Sequence[int], day: dt.date) -> Heads:
    """[[case id, hash of its last event of the day], …] of the villages' cases changed
    that day, by case id."""
    start, end = day_bounds(day)
    last: dict[int, str] = {}
    for case_id, digest in (CaseEvent.objects
                            .filter(case__region_id__in=list(villages), at__gte=start, at__lt=end)
                            .order_by("case_id", "seq").values_list("case_id", "hash")
                            .iterator(chunk_size=5000)):
        last[case_id] = digest
    return [[pk, last[pk]] for pk in sorted(last)]


def message(township_id: int, day: dt.date, prev: str, heads: Iterable[Sequence[int | str]]
            ) -> bytes:
    lines = [VERSION, str(township_id), day.isoformat(), prev]
    lines += [f"{case_id}:{digest}" for case_id, digest in heads]
    return "\n".join(lines).encode("utf-8")


def digest_of(township_id: int, day: dt.date, prev: str, heads: Iterable[Sequence[int | str]],
              key_id: str | None = None) -> str:
    return mac(message(township_id, day, prev, heads), key_id)


def latest(township: Region | int) -> ChainDigest | None:
    return (ChainDigest.objects.filter(township=township).order_by("-day")
            .select_related("township").first())


def anchor_day(township: Region, day: dt.date, *, notify: bool = True) -> ChainDigest:
    """The township's digest of ``day`` (made once; the one made before is answered again).
    Days are anchored in order: a day before the township's last digest is refused."""
    known = ChainDigest.objects.filter(township=township, day=day).first()
    if known is not None:
        return known
    before = latest(township)
    if before is not None and before.day > day:
        raise ValueError(f"{township.name}: {day} is before the last digest ({before.day})")
    prev = before.digest if before is not None else ""
    heads = heads_of_day(village_ids(township), day)
    key_id = keyring().current_id
    try:
        with transaction.atomic():
            row = ChainDigest.objects.create(
                township=township, day=day, heads=heads, prev=prev, key_id=key_id,
                digest=digest_of(township.pk, day, prev, heads, key_id))
    except IntegrityError:  # made meanwhile by another run
        return ChainDigest.objects.get(township=township, day=day)
    if notify:
        publish(row, township)
    return row


def publish(row: ChainDigest, township: Region) -> None:
    """Send the digest to the township's party committee, government and discipline
    commission (notifications, e-mailed): a copy the database cannot change."""
    users = users_holding(RECIPIENTS, township.pk)
    text = Text(gettext_noop("【今日存证】{township}{day}办理记录存证摘要:{digest}"
                             "(当日有办理记录的事项{cases}件)。此摘要同时在各村(社区)公开栏公布,"
                             "请留存,日后可据以核对记录是否被改动。"),
                township=township.name, day=row.day, digest=row.digest, cases=row.cases)
    send(users, None, text, key=f"digest:{row.pk}")


def anchor(day: dt.date | None = None, *, townships: Iterable[Region] | None = None,
           notify: bool = True) -> list[ChainDigest]:
    """Every township's digests up to ``day`` (default: yesterday): the days missed since
    its last digest are made too, in order; a township never anchored starts at ``day``."""
    day = day or yesterday()
    places = list(townships) if townships is not None else list(
        Region.objects.filter(level=Level.TOWNSHIP).order_by("pk"))
    made: list[ChainDigest] = []
    for township in places:
        before = latest(township)
        first = before.day + dt.timedelta(days=1) if before is not None else day
        current = first
        while current <= day:
            made.append(anchor_day(township, current, notify=notify))
            current += dt.timedelta(days=1)
    return made


# --- checking the chains against the digests --------------------------------------------------


@dataclass
class DigestCheck:
    """What the digests say of the chains: problems by case, and of the digests themselves."""

    digests: int = 0
    cases: dict[int, str] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.cases and not self.others


def _day_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def verify_digests(townships: Iterable[Region] | None = None,
                   kept: Iterable[tuple[int, dt.date, str]] = (), *,
                   village: Region | None = None, cases: set[int] | None = None
                   ) -> DigestCheck:
    """Each digest's HMAC and its link to the day before; each day's heads recomputed from
    the events and compared with the digest's (the cases that differ named, a case that is
    gone altogether among ``others``); and the digests someone kept (``kept``: township
    id, day, digest) against those held.

    ``village`` (with ``cases``, its case ids): the heads of that village only."""
    result = DigestCheck()
    if village is not None:
        places = [village.parent] if village.parent is not None else []
    elif townships is not None:
        places = list(townships)
    else:
        places = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("pk"))
    for township in places:
        rows = list(ChainDigest.objects.filter(township=township).order_by("day"))
        result.digests += len(rows)
        _check_links(township, rows, result)
        villages = [village.pk] if village is not None else village_ids(township)
        for i in range(0, len(rows), CHUNK_DAYS):
            _check_heads(villages, rows[i:i + CHUNK_DAYS], result, cases)
    if village is None and result.cases:
        present = set(Case.objects.filter(pk__in=list(result.cases))
                      .values_list("pk", flat=True))
        for pk in sorted(result.cases.keys() - present):
            result.others.append(f"事项{pk}已不存在,{result.cases.pop(pk)}(事项可能被整件删除)")
    for township_id, day, digest in kept:
        row = ChainDigest.objects.filter(township_id=township_id, day=day).first()
        if row is None:
            result.others.append(f"乡镇(街道){township_id}在{_day_text(day)}的存证摘要已不存在")
        elif not same(row.digest, digest.strip().lower()):
            result.others.append(f"乡镇(街道){township_id}在{_day_text(day)}的存证摘要与留存的"
                                 f"不符:留存 {digest[:16]}…,现为 {row.digest[:16]}…")
    return result


def _check_links(township: Region, rows: Sequence[ChainDigest], result: DigestCheck) -> None:
    prev = ""
    for i, row in enumerate(rows):
        what = f"{township.name}{_day_text(row.day)}的存证摘要"
        try:
            expected = digest_of(township.pk, row.day, row.prev, row.heads, row.key_id)
        except UnknownKey:
            result.others.append(f"{what}由本系统没有的密钥({row.key_id})签名,无法校验")
        else:
            if not same(expected, row.digest):
                result.others.append(f"{what}已被改动(签名不符)")
        if i and row.prev != prev:
            result.others.append(f"{what}与前一日的摘要不相连(存证摘要可能被删除或替换)")
        prev = row.digest


def _check_heads(villages: Sequence[int], rows: Sequence[ChainDigest],
                 result: DigestCheck, cases: set[int] | None = None) -> None:
    if not rows:
        return
    start, _ = day_bounds(rows[0].day)
    _, end = day_bounds(rows[-1].day)
    wanted = {row.day for row in rows}
    found: dict[dt.date, dict[int, str]] = defaultdict(dict)
    for case_id, digest, at in (CaseEvent.objects
                                .filter(case__region_id__in=list(villages), at__gte=start,
                                        at__lt=end)
                                .order_by("case_id", "seq").values_list("case_id", "hash", "at")
                                .iterator(chunk_size=5000)):
        day = timezone.localdate(at)
        if day in wanted:
            found[day][case_id] = digest
    for row in rows:
        held = {int(pk): str(h) for pk, h in row.heads} if isinstance(row.heads, list) else {}
        if cases is not None:
            held = {pk: h for pk, h in held.items() if pk in cases}
        now = found.get(row.day, {})
        when = _day_text(row.day)
        for pk, head in held.items():
            if now.get(pk) != head:
                result.cases.setdefault(
                    pk, f"与{when}公布的存证摘要不符:当日最后一条记录已被改写或删除")
        for pk in now.keys() - held.keys():
            result.cases.setdefault(
                pk, f"{when}的存证摘要中没有这件事项当日的记录(记录可能是事后补写的)")


__all__ = ["DigestCheck", "anchor", "anchor_day", "day_bounds", "digest_of", "heads_of_day",
           "latest", "message", "publish", "verify_digests", "yesterday"]
