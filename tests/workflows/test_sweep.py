"""Deadlines: reminders before, overdue notices after, escalation up, window ends; once only."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils.dateparse import parse_datetime

from core.roles import Level, Role
from tests.decisions.rules_helpers import minutes
from tests.driver import meeting as m
from tests.driver import open_case
from tests.seals.helpers import applied
from workflows.models import Deadline, Notification
from workflows.registry import registry
from workflows.spec import (
    ActionSpec,
    ProcedureSpec,
    Recurring,
    Risk,
    StepSpec,
    months,
)
from workflows.spec import (
    Deadline as DeadlineRule,
)

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
SEC = "dc_th_branch_secretary"

REVIEW = ProcedureSpec(
    code="98.1", name="测试:镇审批时限", category="测试", guiding_units=("区委组织部",),
    guiding_roles=(Role.DISTRICT_ORG,), supervisor="上级党组织",
    risks=(Risk("拖延", "逾期提醒并上报"),), measures=("监督",),
    steps=(
        StepSpec("submit", "村报送", (Role.BRANCH_SECRETARY,), Level.VILLAGE,
                 (ActionSpec("submit", "报送", to="approve"),)),
        StepSpec("approve", "镇审批", (Role.TOWNSHIP_PARTY,), Level.TOWNSHIP,
                 (ActionSpec("approve", "批准", to=None),),
                 deadline=DeadlineRule(months("approve_within", "审批时限", 3),
                                       hard_limit=months("approve_at_most", "最长时限", 6))),
    ),
)


@pytest.fixture(autouse=True)
def _test_procedures():
    """The two made-up procedures of this module, registered while its tests run."""
    with registry.override(REVIEW, RECURRING):
        yield


def notes(username):
    return list(Notification.objects.filter(user__username=username).order_by("pk")
                .values_list("message", flat=True))


def test_reminders_escalation_and_idempotency(demo, api):
    with time_machine.travel(START, tick=False) as clock:
        case = open_case("98.1", demo["dc_th"], SEC, title="入党审批")
        r = case.post(SEC, "submit", {})
        task = r.json()["tasks"][0]
        assert task["region"] == demo["dc"].pk
        # three months from 2026-03-02 09:00 Shanghai
        assert task["due_at"] == "2026-06-02T09:00:00+08:00"
        assert task["hard_due_at"] == "2026-09-02T09:00:00+08:00"
        before = len(notes("dc_township_party"))
        call_command("sweep_deadlines")
        assert len(notes("dc_township_party")) == before
        clock.move_to(parse_datetime("2026-05-31T09:30:00+08:00"))  # 3 days before
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
        reminders = [n for n in notes("dc_township_party") if "即将到期" in n]
        assert len(reminders) == 1
        clock.move_to(parse_datetime("2026-06-01T09:30:00+08:00"))  # 1 day before
        call_command("sweep_deadlines")
        assert len([n for n in notes("dc_township_party") if "即将到期" in n]) == 2
        assert notes("dc_yl_branch_secretary") == []
        clock.move_to(parse_datetime("2026-06-02T09:01:00+08:00"))
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
        assert len([n for n in notes("dc_township_party") if "已逾期" in n]) == 1
        escalated = [n for n in notes("sfq_district_org") if "逾期督办" in n]
        assert len(escalated) == 1 and "桃花村" in escalated[0]
        assert notes("xh_township_party") == []
        clock.move_to(parse_datetime("2026-09-03T09:00:00+08:00"))
        call_command("sweep_deadlines")
        assert any("最长期限" in n for n in notes("sfq_district_org"))
        overdue = api("dc_township_party").get("/api/cases/?overdue=true").json()
        assert overdue["count"] == 1
        assert not Deadline.objects.filter(fired_at__isnull=True, cancelled=False).exists()


def test_acting_cancels_pending_reminders(demo, api):
    with time_machine.travel(START, tick=False) as clock:
        case = open_case("98.1", demo["dc_th"], SEC, title="入党审批")
        case.post(SEC, "submit", {})
        case.post("dc_township_party", "approve", {})
        clock.move_to(parse_datetime("2026-12-01T09:00:00+08:00"))
        call_command("sweep_deadlines")
        assert not any("逾期" in n for n in notes("dc_township_party"))


def test_window_end_is_announced_once(demo, api):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False) as clock:
        case = open_case("03.1", demo["dc_th"], SEC, title="修路")
        case.post(SEC, "propose", {"matter": "plan", "proposal": "修路", "consultation": "有",
                                   "meeting": m(3, 3, 3)}, minutes())
        case.post(SEC, "deliberate", {"body": "two_committees", "vote_method": "hands",
                                      "meeting": m(5, 5, 5), "opinion": "同意"}, minutes())
        case.post(SEC, "review", {"members_informed": True, "informed_on": "2026-11-01",
                                  "meeting": m(7, 7, 7), "revised_proposal": "修路"},
                  minutes())
        case.post("dc_th_committee_director", "decide",
                  {"body": "representatives", "meeting": m(), "resolution": "修路"},
                  minutes())
        clock.move_to(parse_datetime("2026-11-10T00:05:00+08:00"))
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
        ended = [n for n in notes("dc_th_committee_member") if "公示期满" in n]
        assert len(ended) == 1


def test_email_goes_to_users_with_an_address(demo, api, user,
                                             django_capture_on_commit_callbacks):
    director = user("dc_th_committee_director")
    director.email = "director@example.org"
    director.save()
    with django_capture_on_commit_callbacks(execute=True):
        applied("dc_th_committee_member", "04.2", demo["dc_th"])
    assert any("director@example.org" in m.to for m in mail.outbox)


RECURRING = ProcedureSpec(
    code="98.2", name="测试:季度汇报提醒", category="测试", guiding_units=("区委组织部",),
    guiding_roles=(Role.DISTRICT_ORG,), supervisor="上级党组织",
    risks=(Risk("培养松懈", "每季度提醒"),), measures=("监督",),
    steps=(
        StepSpec("train", "培养考察", (Role.BRANCH_SECRETARY,), Level.VILLAGE,
                 (ActionSpec("finish", "结束", to=None),),
                 recurring=(Recurring(months("report_every", "汇报周期", 3),
                                      "入党积极分子每季度至少汇报一次思想情况"),)),
    ),
)


def test_recurring_reminder_every_quarter_while_waiting(demo, api):
    with time_machine.travel(START, tick=False) as clock:
        case = open_case("98.2", demo["dc_th"], SEC, title="积极分子培养")
        for month in ("2026-06-02T10:00", "2026-06-03T10:00", "2026-09-02T10:00"):
            clock.move_to(parse_datetime(month + ":00+08:00"))
            call_command("sweep_deadlines")
        quarterly = [n for n in notes("dc_th_branch_secretary") if "每季度" in n]
        assert len(quarterly) == 2
        case.post(SEC, "finish", {})
        clock.move_to(parse_datetime("2027-03-02T10:00:00+08:00"))
        call_command("sweep_deadlines")
        assert len([n for n in notes("dc_th_branch_secretary") if "每季度" in n]) == 2


def test_overdue_raises_an_alert_for_the_supervisors(demo, api):
    from workflows.models import Alert

    with time_machine.travel(START, tick=False) as clock:
        case = open_case("98.1", demo["dc_th"], SEC, title="入党审批")
        case.post(SEC, "submit", {})
        clock.move_to(parse_datetime("2026-06-03T09:00:00+08:00"))
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    alerts = Alert.objects.filter(case_id=case.id, kind="overdue")
    assert alerts.count() == 1
    assert any("风险预警" in n for n in notes("dc_th_supervisory_member"))
    assert any("风险预警" in n for n in notes("dc_township_discipline"))


def test_a_batch_of_due_deadlines_costs_the_same_queries_as_one(demo, api):
    """The sweep writes a batch's notifications together: 40 due cases, not 40× the queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflows.sweep import sweep

    def open_cases(n):
        for i in range(n):
            open_case("98.1", demo["dc_th"], SEC, title=f"入党审批{i}").post(SEC, "submit")

    def queries_to_sweep():
        with CaptureQueriesContext(connection) as ctx:
            result = sweep(START + dt.timedelta(days=100))
        return len(ctx.captured_queries), result

    with time_machine.travel(START, tick=False):
        open_cases(1)
    one, first = queries_to_sweep()
    with time_machine.travel(START, tick=False):
        open_cases(40)
    many, second = queries_to_sweep()
    assert second.fired == 40 * first.fired
    assert second.notifications == 40 * first.notifications > 0
    assert many <= one + 2
    _, third = queries_to_sweep()  # nothing is due twice
    assert (third.fired, third.notifications) == (0, 0)


SHARED = ProcedureSpec(
    code="98.3", name="测试:两人可办的环节", category="测试", guiding_units=("区委组织部",),
    guiding_roles=(Role.DISTRICT_ORG,), supervisor="上级党组织",
    risks=(Risk("拖延", "逾期提醒"),), measures=("监督",),
    steps=(
        StepSpec("submit", "村委会报送", (Role.COMMITTEE_DIRECTOR,), Level.VILLAGE,
                 (ActionSpec("submit", "报送", to="review"),)),
        StepSpec("review", "党支部审核", (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY),
                 Level.VILLAGE, (ActionSpec("approve", "同意", to=None),),
                 deadline=DeadlineRule(months("review_within", "审核时限", 1))),
    ),
)


def test_a_step_done_by_one_holder_closes_its_notices_for_the_others(demo, api):
    """After the secretary did the step, the deputy's 【待办】 and its reminders no longer
    ask anything: they are read; the district's escalation of lateness stays unread."""
    deputy = "dc_th_branch_deputy"

    def unread(username):
        return list(Notification.objects.filter(user__username=username, read_at__isnull=True)
                    .values_list("message", flat=True))

    with registry.override(SHARED), time_machine.travel(START, tick=False) as clock:
        case = open_case("98.3", demo["dc_th"], "dc_th_committee_director", title="报告")
        case.post("dc_th_committee_director", "submit", {})
        assert any("【待办】" in n for n in unread(deputy))
        assert any("【待办】" in n for n in unread(SEC))
        clock.move_to(parse_datetime("2026-04-01T09:30:00+08:00"))  # 1 day before
        call_command("sweep_deadlines")
        assert any("即将到期" in n for n in unread(deputy))
        other = open_case("98.3", demo["dc_th"], "dc_th_committee_director", title="另一份报告")
        other.post("dc_th_committee_director", "submit", {})
        r = case.post(SEC, "approve", {})
        assert r.status_code == 200 and r.json()["closed"] is True
        left = unread(deputy)
        assert not any("“报告”" in n for n in left), left  # neither the task nor its reminder
        assert any("“另一份报告”" in n and "【待办】" in n for n in left)  # another case's stays
        assert Notification.objects.filter(user__username=deputy, case_id=case.id).count() >= 2
