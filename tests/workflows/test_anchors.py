"""The daily digests of the chain heads (存证摘要): made each night per township, kept,
shown on every board of the township, sent to the township, checked by verify_audit."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.models import Membership, Region
from core.roles import Role
from tests.portal.pages import scenario
from workflows import anchors
from workflows.models import Case, CaseEvent, ChainDigest, Notification
from workflows.tasks import anchor_chains_task

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # the clock fixture's day (Monday, Shanghai)


def after(clock: Any, day: dt.date) -> None:
    """Twenty past midnight after ``day``, when beat anchors it."""
    clock.move_to(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 20),
                                      tzinfo=dt.timezone(dt.timedelta(hours=8))))


def test_each_township_is_anchored_once_a_day_kept_sent_and_shown(demo, clock, web):
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    other = scenario.seal(demo["dc_yl"], "dc_yl", "出具困难证明", finish=False)
    after(clock, DAY)
    out = io.StringIO()
    call_command("anchor_chains", stdout=out)
    assert "ok: 2 digest(s) up to 2026-11-02" in out.getvalue()

    dc = ChainDigest.objects.get(township=demo["dc"], day=DAY)
    head = Case.objects.get(pk=case_id).last_hash
    assert [case_id, head] in dc.heads and [other, Case.objects.get(pk=other).last_hash] \
        in dc.heads
    assert dc.prev == "" and dc.key_id == "test"
    assert dc.digest == anchors.digest_of(demo["dc"].pk, DAY, "", dc.heads, "test")
    assert ChainDigest.objects.get(township=demo["xh"], day=DAY).heads == []

    # sent to the township's party committee, government and discipline commission
    told = set(Notification.objects.filter(message__contains=dc.digest)
               .values_list("user__username", flat=True))
    assert {"dc_township_party", "dc_township_government", "dc_township_discipline"} <= told
    assert not {u for u in told if not u.startswith("dc_township")}
    holders = set(Membership.objects.filter(region=demo["dc"], role__in=[
        Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT, Role.TOWNSHIP_DISCIPLINE])
        .values_list("user__username", flat=True))
    assert told == holders

    # on every board of the township, in groups of eight
    for slug in ("dc_th", "dc_yl"):
        body = web(None).get(f"/board/{demo[slug].pk}/").content.decode()
        assert "今日存证" in body and dc.digest[:8] + " " + dc.digest[8:16] in body
        assert "2026年11月2日" in body
    assert dc.digest[:8] not in web(None).get(f"/board/{demo['xh_qq'].pk}/").content.decode()

    # again the same night: nothing new
    call_command("anchor_chains", stdout=io.StringIO())
    assert ChainDigest.objects.count() == 2
    call_command("verify_audit", stdout=io.StringIO())


def test_digests_link_day_to_day_and_catch_up_a_missed_night(demo, clock):
    scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    after(clock, DAY)
    first = anchors.anchor()
    assert {d.day for d in first} == {DAY}
    # the next two nights beat did not run; the third catches up, in order
    after(clock, DAY + dt.timedelta(days=3))
    result = anchor_chains_task.delay().get()
    assert result["digests"] == 6  # two townships, three days
    days = list(ChainDigest.objects.filter(township=demo["dc"]).order_by("day"))
    assert [d.day for d in days] == [DAY + dt.timedelta(days=i) for i in range(4)]
    for before, later in itertools.pairwise(days):
        assert later.prev == before.digest
    with pytest.raises(ValueError, match="before the last digest"):
        anchors.anchor_day(demo["dc"], DAY - dt.timedelta(days=1))
    call_command("verify_audit", stdout=io.StringIO())


def test_verify_audit_checks_the_digests_and_a_kept_copy(demo, clock, capsys):
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    after(clock, DAY)
    anchors.anchor()
    after(clock, DAY + dt.timedelta(days=1))
    anchors.anchor()
    dc: Region = demo["dc"]
    first = ChainDigest.objects.get(township=dc, day=DAY)
    kept = f"{dc.pk}:{DAY.isoformat()}:{first.digest}"
    call_command("verify_audit", "--anchor", kept, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", f"{dc.pk}:{DAY.isoformat()}:{'0' * 64}",
                     stdout=io.StringIO())
    assert "与留存的不符" in capsys.readouterr().err

    # a head taken out of a digest (its HMAC no longer holds) ...
    ChainDigest.objects.filter(pk=first.pk).update(heads=[])
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
    err = capsys.readouterr().err
    assert "东城镇2026年11月2日的存证摘要已被改动(签名不符)" in err
    assert f"case {case_id} " in err  # and the case it left out: 事后补写?
    # ... or the day's digest deleted: the next one no longer links to the one before it
    ChainDigest.objects.filter(pk=first.pk).delete()
    ChainDigest.objects.create(township=dc, day=DAY - dt.timedelta(days=1), heads=[], prev="",
                               key_id="test",
                               digest=anchors.digest_of(dc.pk, DAY - dt.timedelta(days=1), "",
                                                        [], "test"))
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
    assert "与前一日的摘要不相连" in capsys.readouterr().err


def test_a_case_deleted_altogether_is_named_by_the_digest(demo, clock, capsys):
    """Every row of a case gone (a chain cannot be checked that is not there): the digest
    published that night still lists it."""
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具收入证明", finish=False)
    after(clock, DAY)
    anchors.anchor()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE workflows_caseevent DISABLE TRIGGER USER")
        for table in ("workflows_deadline", "workflows_task", "workflows_notification",
                      "workflows_alert", "workflows_attachment", "workflows_caseevent"):
            cursor.execute(f"DELETE FROM {table} WHERE case_id = %s", [case_id])  # noqa: S608
        cursor.execute("DELETE FROM workflows_case WHERE id = %s", [case_id])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE workflows_caseevent ENABLE TRIGGER USER")
    assert not CaseEvent.objects.filter(case_id=case_id).exists()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
    assert f"事项{case_id}已不存在" in capsys.readouterr().err
