"""The public notice board of a village (no login): notices and 四议两公开 resolutions.

Only what a notice must show is shown: the public fields of the procedure
(``FieldSpec.public``), never objections or their authors, and anything that
looks like an ID-card or a mobile number is masked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from core.models import Region
from core.places import words_of
from core.roles import Level
from workflows.choices import CaseState, NoticeState
from workflows.models import Case, ChainDigest, PublicityNotice
from workflows.registry import registry
from workflows.wording import signer

RECENT = dt.timedelta(days=90)
RESOLUTIONS_SHOWN = 20
DIGESTS_SHOWN = 7  # "今日存证" and the six days before
FOUR_AND_TWO = "03.1"

# 18-digit resident ID (last character may be X): keep the first 6 and the last 4.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# 11-digit mainland mobile number: keep the first 3 and the last 4.
_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_personal(text: str | None) -> str:
    """Mask ID numbers (110101********1234) and mobiles (138****5678) in public text."""
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", str(text))
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def _notice(n: PublicityNotice, now: dt.datetime, village: Region) -> dict[str, Any]:
    return {
        "signer": signer(registry.get(n.procedure), n.step, village),
        "title": mask_personal(n.title),
        "content": mask_personal(n.content),
        "location": mask_personal(n.location),
        "start": n.start,
        "earliest_end": n.earliest_end,
        "ended_at": n.ended_at,
        "days": n.days,
        "working_days": n.working_days,
        "days_left": max(0, (timezone.localdate(n.earliest_end) - timezone.localdate(now)).days),
    }


def _day(value: Any) -> str:
    day = parse_date(value) if isinstance(value, str) else None
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    """The figures of the deciding meeting as its event recorded them: the day it was held,
    the roll the portal computed (its source in words: counts, no names), the votes."""
    roll: dict[str, Any] = meeting["roll"] if isinstance(meeting.get("roll"), dict) else {}
    return {**{k: meeting.get(k) for k in ("due", "present", "yes", "no", "abstain")},
            "held": _day(str(meeting.get("held_at") or "")[:10]),
            "unit": roll.get("unit") or "人", "source": roll.get("source", "")}


def _resolution(case: Case) -> dict[str, Any] | None:
    data = case.data if isinstance(case.data, dict) else {}
    decided = data.get("villagers_decide") or {}
    text = decided.get("resolution") if isinstance(decided, dict) else None
    if not text:
        return None
    done = data.get("implementation") or {}
    meeting = decided.get("meeting") if isinstance(decided.get("meeting"), dict) else {}
    body_label = ""
    spec = case.spec
    if spec is not None and spec.has_step("villagers_decide"):
        action = spec.step("villagers_decide").action("decide")
        field = next((f for f in action.fields if f.name == "body"), None) if action else None
        if field is not None:
            body_label = next((c.label for c in field.choices
                               if c.value == decided.get("body")), "")
    if case.state == CaseState.CLOSED and done.get("result"):
        stage = "已公开实施结果"
    elif case.current_step == "resolution_publicity":
        stage = "决议公开中"
    else:
        stage = "实施中"
    return {
        "title": mask_personal(case.title),
        "resolution": mask_personal(str(text)),
        "body": body_label,
        "meeting": _meeting(meeting) if meeting else None,
        "result": mask_personal(str(done.get("result", ""))) if isinstance(done, dict) else "",
        "published_on": _day(done.get("published_on")) if isinstance(done, dict) else "",
        "stage": stage,
        "closed": case.state == CaseState.CLOSED,
        "opened_at": case.opened_at,
    }


def _digest(row: ChainDigest) -> dict[str, Any]:
    """A township's digest as the board shows it: in groups of eight, to copy or compare."""
    return {
        "day": row.day,
        "digest": row.digest,
        "grouped": " ".join(row.digest[i:i + 8] for i in range(0, len(row.digest), 8)),
        "created_at": row.created_at,
        "cases": row.cases,
    }


def public_board(request: HttpRequest, region_id: int) -> HttpResponse:
    """A village's board: running notices, those ended in the last 90 days, resolutions."""
    village = get_object_or_404(Region.objects.select_related("parent"), pk=region_id,
                                level=Level.VILLAGE)
    now = timezone.now()
    since = now - RECENT
    # a confidential procedure's notice never reaches the board (社区矫正法: the identity of a
    # person under correction is protected), even one written before it became confidential
    confidential = [spec.code for spec in registry.all() if spec.confidential]
    notices = list(
        PublicityNotice.objects.filter(region=village).exclude(procedure__in=confidential)
        .filter(Q(state=NoticeState.RUNNING) | Q(state=NoticeState.ENDED, ended_at__gte=since))
        .only("title", "content", "location", "start", "earliest_end", "ended_at", "days",
              "working_days", "state", "procedure", "step")
        .order_by("-start")[:100]
    )
    # Public reading of the village's own 03.1 cases: only their public fields leave here.
    cases = (Case.objects.filter(region=village, procedure=FOUR_AND_TWO)
             .exclude(state=CaseState.WITHDRAWN)
             .filter(data__villagers_decide__isnull=False)
             .only("title", "state", "current_step", "data", "opened_at", "procedure", "version")
             .order_by("-opened_at")[:RESOLUTIONS_SHOWN])
    rows = list(cases)
    for row in rows:
        row.region = village  # known: its spec reads in the village's words without a query
    resolutions = [r for r in (_resolution(c) for c in rows) if r is not None]
    # the township's daily digests of its villages' records (workflows.anchors): published
    # here, outside the database's reach once someone has kept them
    digests = [_digest(d) for d in ChainDigest.objects.filter(township_id=village.parent_id)
               .only("day", "digest", "created_at", "heads").order_by("-day")[:DIGESTS_SHOWN]]
    words = words_of(village)
    return render(request, "pages/board.html", {
        "village": village,
        "running": [_notice(n, now, village) for n in notices
                    if n.state == NoticeState.RUNNING],
        "ended": [_notice(n, now, village) for n in notices if n.state == NoticeState.ENDED],
        "words": words,
        "resolutions": resolutions,
        "digest": digests[0] if digests else None,
        "earlier_digests": digests[1:],
        "now": now,
        "title": f"{village.name} · {words.board}",
    })
