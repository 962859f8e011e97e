"""Forgeries of the record (issue 10, contract 8): each one made behind the portal's back —
with the database in hand, not through the gate — is named by ``verify_audit`` (non-zero,
the case named), shown ✘ on the supervisory audit page, and raised as an alert; the ones
the portal can stop it refuses (a window cut short, a swapped file, TRUNCATE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from core.errors import RuleError
from core.models import Region, User
from core.roles import Level, Role
from seals.models import SealUse
from tests.conftest import requires_postgres
from tests.forging import tamper
from tests.portal.pages import scenario
from tests.samples import pdf_bytes, upload_png
from workflows import anchors, gate
from workflows.audit import canonical, event_hash, event_payload
from workflows.choices import AlertKind
from workflows.models import (
    Alert,
    Attachment,
    Case,
    CaseEvent,
    ChainDigest,
    MeetingRecord,
    PublicityNotice,
)
from workflows.registry import registry
from workflows.spec import ActionSpec, ProcedureSpec, Risk, StepSpec, days, notice_step

pytestmark = pytest.mark.django_db

WINDOW = days("forgery_window_days", "测试公示期", 5)
NOTICE_SPEC = ProcedureSpec(
    code="99.8", name="测试:公示五天", category="测试", guiding_units=("区委组织部",),
    guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会",
    risks=(Risk("公示期不足", "公示期满前不能进行下一步"),), measures=("公示",),
    steps=(
        notice_step("notice", "公示", days=WINDOW, title="测试公示", done="公示期满",
                    to="archive", description="公示5天"),
        StepSpec("archive", "归档", (Role.COMMITTEE_DIRECTOR,), Level.VILLAGE,
                 (ActionSpec("archive", "归档", to=None),)),
    ),
)
DIRECTOR = "dc_th_committee_director"
SUPERVISOR = "dc_th_supervisory_member"


# --- the forger's tools -------------------------------------------------------------------


def rechain(case_id: int, *, from_seq: int, change: dict[str, Any], key: str | None,
            key_id: str | None = None) -> None:
    """Rewrite event ``from_seq`` of a case and recompute every hash from there on: with
    ``key`` (as someone who has the key would, or with a guessed one) or, with ``key`` None,
    with the plain SHA-256 the chain used to be."""
    events = list(CaseEvent.objects.filter(case_id=case_id).order_by("seq"))
    prev = events[from_seq - 2].hash if from_seq > 1 else ""
    settings_change = {} if key is None else {"AUDIT_KEY": key, "AUDIT_KEY_ID": key_id or "test",
                                              "AUDIT_KEYS": {}}
    for event in events[from_seq - 1:]:
        if event.seq == from_seq:
            for name, value in change.items():
                setattr(event, name, value)
        event.prev_hash = prev
        if key is None:
            event.hash = hashlib.sha256(canonical(event_payload(event))).hexdigest()
        else:
            with override_settings(**settings_change):
                event.hash = event_hash(event)
        columns = [*change, "prev_hash", "hash"] if event.seq == from_seq else ["prev_hash",
                                                                                "hash"]
        sets = ", ".join(f"{name} = %s" for name in columns)
        values = [getattr(event, name) for name in columns]
        tamper(f"UPDATE workflows_caseevent SET {sets} WHERE id = %s",  # noqa: S608
               [*values, event.pk])
        prev = event.hash
    Case.objects.filter(pk=case_id).update(last_hash=prev)


def person(username: str) -> User:
    return User.objects.get(username=username)


# --- what the portal says ---------------------------------------------------------------------


def named(capsys: pytest.CaptureFixture[str], case_id: int, *args: str) -> str:
    """verify_audit exits non-zero and names the case; what it said of it."""
    capsys.readouterr()
    with pytest.raises(CommandError):
        call_command("verify_audit", *args, stdout=io.StringIO())
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith(f"case {case_id} ")]
    assert lines, err
    return lines[0]


def verifies(*args: str) -> None:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    assert out.getvalue().startswith("ok:")


def audit_cross(web: Any, village: Region, case_id: int) -> str:
    """The audit page shows the case ✘ (and names the problem in its banner); the body."""
    response = web(SUPERVISOR).get(f"/audit/{village.pk}/", {"case": case_id})
    assert response.status_code == 200
    body = response.content.decode()
    record = next(r for r in response.context["records"] if r.case.pk == case_id)
    assert not record.verified
    assert "✘" in body and "哈希链校验发现问题" in body
    return body


def altered_alerts(case_id: int) -> list[str]:
    return list(Alert.objects.filter(case_id=case_id, kind=AlertKind.RECORD_ALTERED)
                .values_list("message", flat=True))


# --- cases ------------------------------------------------------------------------------------


@pytest.fixture
def seal_case(demo: dict[str, Region]) -> int:
    return scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)


@pytest.fixture
def in_publicity(demo: dict[str, Region], clock: Any) -> Iterator[int]:
    """A case whose five-day window runs (opened now, Monday 2026-11-02 10:00), posted."""
    with registry.override(NOTICE_SPEC):
        case = gate.open_case(actor=person(DIRECTOR), procedure="99.8",
                              region=demo["dc_th"], title="村务公开测试")
        gate.perform_action(actor=person(DIRECTOR), case_id=case.pk,
                            action="record_posting", data={"location": "村务公开栏"},
                            files={"photo": upload_png("张贴照片.png")})
        yield case.pk


def test_an_untouched_record_verifies_everywhere(seal_case, in_publicity, web, demo):
    verifies("--files")
    body = web(SUPERVISOR).get(f"/audit/{demo['dc_th'].pk}/").content.decode()
    assert "✔" in body and "哈希链校验发现问题" not in body
    assert not Alert.objects.filter(kind=AlertKind.RECORD_ALTERED).exists()


# --- names rewritten ------------------------------------------------------------------------------


@pytest.mark.parametrize(("column", "value"), [("actor_name", "李四"), ("action_name", "同意用印"),
                                               ("role", "branch_secretary")])
def test_a_name_rewritten_behind_the_portals_back_is_named(seal_case, web, demo, capsys,
                                                           column, value):
    event = CaseEvent.objects.get(case_id=seal_case, seq=3)
    tamper(f"UPDATE workflows_caseevent SET {column} = %s WHERE id = %s",  # noqa: S608
           [value, event.pk])
    assert "第3条记录内容已被改动(签名不符)" in named(capsys, seal_case)
    body = audit_cross(web, demo["dc_th"], seal_case)
    assert "第3条记录内容已被改动" in body
    assert altered_alerts(seal_case)


def test_a_case_title_rewritten_is_named(seal_case, capsys):
    Case.objects.filter(pk=seal_case).update(title="出具无犯罪证明")
    assert "标题:记录为出具居住证明,现为出具无犯罪证明" in named(capsys, seal_case)


def test_every_event_carries_its_cases_village(seal_case):
    village = Case.objects.get(pk=seal_case).region_id
    assert set(CaseEvent.objects.filter(case_id=seal_case).values_list("village_id", flat=True)) \
        == {village}


def test_an_event_moved_to_another_village_is_named(seal_case, demo, capsys):
    """The village on an event is not in its hash (the case is): the check compares it."""
    event = CaseEvent.objects.get(case_id=seal_case, seq=2)
    other = Region.objects.filter(level=Level.VILLAGE).exclude(pk=event.village_id).first()
    assert other is not None
    tamper("UPDATE workflows_caseevent SET village_id = %s WHERE id = %s", [other.pk, event.pk])
    assert "第2条记录所属村(社区)与事项不符" in named(capsys, seal_case)


# --- a re-chained rewrite ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["a-guessed-key-of-the-right-length-0000", None],
                         ids=["wrong key", "plain SHA-256"])
def test_a_rewrite_rechained_without_the_key_is_named(seal_case, web, demo, capsys, key):
    """Every hash recomputed from the rewritten event on, the head on the case row too:
    without the key the signatures do not hold."""
    rechain(seal_case, from_seq=3, change={"comment": "同意(已补签)"}, key=key)
    assert "第3条记录内容已被改动(签名不符)" in named(capsys, seal_case)
    audit_cross(web, demo["dc_th"], seal_case)


def test_a_rewrite_rechained_with_the_key_is_named_by_the_published_digest(seal_case, demo,
                                                                           capsys, web):
    """Someone who has the key too re-chains a rewritten history: the chain verifies, but
    it no longer folds into the digest published the morning after."""
    made_on = timezone.localdate(Case.objects.get(pk=seal_case).updated_at)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        published = anchors.anchor(made_on)
    township = demo["dc"]
    digest = next(d for d in published if d.township_id == township.pk)
    assert [seal_case, CaseEvent.objects.get(case_id=seal_case, seq=4).hash] in digest.heads
    verifies()

    rechain(seal_case, from_seq=3, change={"comment": "同意(已补签)"},
            key="test-audit-key-0123456789abcdef0123456789abcdef")
    line = named(capsys, seal_case)
    assert "公布的存证摘要不符" in line and "签名不符" not in line
    assert "存证摘要" in audit_cross(web, demo["dc_th"], seal_case)
    # and whoever kept the digest can check the portal's copy of it
    kept = f"{township.pk}:{made_on.isoformat()}:{digest.digest}"
    verifies_kept = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", kept, stdout=verifies_kept)
    # the digest row rewritten to fit the new heads: its own HMAC gives it away
    ChainDigest.objects.filter(pk=digest.pk).update(
        heads=anchors.heads_of_day(anchors.village_ids(township), made_on))
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
    assert "已被改动(签名不符)" in capsys.readouterr().err


# --- facts people read ---------------------------------------------------------------------------


def test_a_window_cut_short_in_the_database_is_named_and_refused(in_publicity, web, demo,
                                                                 capsys, clock):
    notice = PublicityNotice.objects.get(case_id=in_publicity)
    assert notice.days == 5
    cut = notice.earliest_end - dt.timedelta(days=3)
    PublicityNotice.objects.filter(pk=notice.pk).update(earliest_end=cut)

    line = named(capsys, in_publicity)
    when = "%Y-%m-%d %H:%M"
    assert (f"最早结束:记录为{timezone.localtime(notice.earliest_end):{when}},"
            f"现为{timezone.localtime(cut):{when}}") in line
    body = audit_cross(web, demo["dc_th"], in_publicity)
    assert "最早结束" in body
    assert altered_alerts(in_publicity)

    # the window as the database now says has passed; the gate holds to the chain's
    clock.move_to(cut + dt.timedelta(hours=1))
    with registry.override(NOTICE_SPEC), pytest.raises(RuleError) as refusal:
        gate.perform_action(actor=person(DIRECTOR), case_id=in_publicity,
                            action="publicity_done", data={"location": "村务公开栏"},
                            files={"photo": upload_png("期满照片.png")})
    assert refusal.value.code == "record_altered"
    assert any("公示期可能在系统之外被改动" in m for m in altered_alerts(in_publicity))
    assert Case.objects.get(pk=in_publicity).current_step == "notice"


@pytest.mark.parametrize(("column", "value", "said"), [
    ("days", 3, "公示天数:记录为5,现为3"),
    ("working_days", True, "按工作日计算:记录为否,现为是"),
    ("location", "村委会门口", "张贴地点与办理记录不符"),
])
def test_any_part_of_a_window_changed_is_named(in_publicity, capsys, column, value, said):
    PublicityNotice.objects.filter(case_id=in_publicity).update(**{column: value})
    assert said in named(capsys, in_publicity)


def test_a_meeting_record_edited_behind_the_portals_back_is_named(demo, web, capsys):
    """The roll inflated in the stored meeting record (the gate refuses a typed roll: task
    R2): the record no longer matches the figures its event recorded."""
    ids = scenario.build_closed(demo)
    case_id = ids["closed_redo"]
    record = MeetingRecord.objects.filter(case_id=case_id).order_by("pk").last()
    assert record is not None
    MeetingRecord.objects.filter(pk=record.pk).update(due=30, present=25)
    line = named(capsys, case_id)
    assert f"会议记录“{record.body}”与第" in line and "应到" in line
    audit_cross(web, demo["dc_th"], case_id)
    MeetingRecord.objects.filter(pk=record.pk).update(due=record.due, present=record.present,
                                                      passed=not record.passed)
    assert "通过:记录为是,现为否" in named(capsys, case_id)


def test_a_seal_register_line_edited_is_named(seal_case, web, demo, capsys):
    SealUse.objects.filter(case_id=seal_case).update(copies=5, number=7)
    line = named(capsys, seal_case)
    assert "用印登记与第4条记录不符(登记序号:记录为1,现为7)" in line
    audit_cross(web, demo["dc_th"], seal_case)


def test_an_event_deleted_with_its_head_reset_is_named(seal_case, capsys):
    """The last event removed and the case row set back to the one before: the chain of
    what is left holds, the case row's state does not."""
    last = CaseEvent.objects.get(case_id=seal_case, seq=4)
    before = CaseEvent.objects.get(case_id=seal_case, seq=3)
    SealUse.objects.filter(case_id=seal_case).delete()
    tamper("DELETE FROM workflows_caseevent WHERE id = %s", [last.pk])
    Case.objects.filter(pk=seal_case).update(event_count=3, last_hash=before.hash)
    assert "事项状态与最后一条记录不符" in named(capsys, seal_case)


# --- files --------------------------------------------------------------------------------------


def test_a_swapped_file_is_named_and_not_served(seal_case, web, demo, capsys):
    att = Attachment.objects.get(case_id=seal_case, field="document")
    client = web(DIRECTOR)
    assert client.get(att.get_absolute_url()).status_code == 200
    Path(att.file.path).write_bytes(pdf_bytes("另一份文件"))

    verifies()  # the rows still agree: only the bytes changed
    line = named(capsys, seal_case, "--files")
    assert "的文件已被替换或改动" in line

    response = client.get(att.get_absolute_url())
    assert response.status_code == 409
    body = response.content.decode()
    assert "附件与办理记录不符,不能下载" in body and att.sha256 in body
    assert any("系统已拒绝提供下载" in m for m in altered_alerts(seal_case))
    assert "的文件已被替换或改动" in audit_cross(web, demo["dc_th"], seal_case)


def test_a_file_whose_row_was_made_to_fit_is_not_served(seal_case, web, capsys):
    """The file swapped and its row's SHA-256 set to the new bytes: the event still says
    what was uploaded."""
    att = Attachment.objects.get(case_id=seal_case, field="document")
    forged = pdf_bytes("另一份文件")
    Path(att.file.path).write_bytes(forged)
    Attachment.objects.filter(pk=att.pk).update(sha256=hashlib.sha256(forged).hexdigest(),
                                                size=len(forged))
    assert "登记的文件不符" in named(capsys, seal_case)
    assert web(DIRECTOR).get(att.get_absolute_url()).status_code == 409


def test_a_missing_file_is_named_and_not_served(seal_case, web, capsys):
    att = Attachment.objects.get(case_id=seal_case, field="document")
    Path(att.file.path).unlink()
    assert "的文件已不存在" in named(capsys, seal_case, "--files")
    response = web(DIRECTOR).get(att.get_absolute_url())
    assert response.status_code == 409
    assert "该附件的文件已不存在" in response.content.decode()


# --- TRUNCATE -------------------------------------------------------------------------------------


@requires_postgres
@pytest.mark.postgres
def test_truncate_of_the_event_log_is_refused(seal_case):
    # (a plain TRUNCATE of it fails on its foreign keys first; CASCADE reaches the trigger)
    for sql in ("TRUNCATE workflows_caseevent CASCADE", "TRUNCATE workflows_case CASCADE"):
        with transaction.atomic(), connection.cursor() as cursor:
            # what a production connection says (the test settings' connections allow it,
            # for pytest-django's flush)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's deferred checks
            cursor.execute("SET LOCAL portal.allow_truncate = off")
            with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
                cursor.execute(sql)
    assert CaseEvent.objects.filter(case_id=seal_case).count() == 4
    verifies()
