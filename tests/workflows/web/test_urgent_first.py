"""Emergencies are listed first wherever tasks are listed (issue 11, point 8): before issue
11 a landslide's township step sorted below disputes that were due sooner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Level, Role
from tests.driver import GATE, open_case
from workflows.models import Task
from workflows.registry import registry
from workflows.spec import ActionSpec, Deadline, ProcedureSpec, Risk, StepSpec, deadline_days
from workflows.web.queries import review_tasks


def _spec(code: str, name: str, *, urgent: bool, due_days: int) -> ProcedureSpec:
    return ProcedureSpec(
        code=code, name=name, category="测试", guiding_units=("区应急管理局",),
        guiding_roles=(Role.DISTRICT_EMERGENCY,), supervisor="村务监督委员会",
        risks=(Risk("风险", "控制"),), measures=("措施",), urgent=urgent,
        steps=(
            StepSpec("report", "上报", roles=(Role.COMMITTEE_MEMBER,), level=Level.VILLAGE,
                     actions=(ActionSpec("send", "上报镇(街道)", to="township"),)),
            StepSpec("township", "镇(街道)处置", roles=(Role.TOWNSHIP_GOVERNMENT,),
                     level=Level.TOWNSHIP,
                     deadline=Deadline(deadline_days(f"t{code[-1]}_due", "处置时限", due_days)),
                     actions=(ActionSpec("done", "处置完毕", to=None),)),
        ))


@pytest.fixture
def two_procedures():
    with registry.override(_spec("97.1", "测试纠纷", urgent=False, due_days=1),
                           _spec("97.2", "测试险情", urgent=True, due_days=30)):
        yield


def _submitted(code: str, title: str, demo):
    case = open_case(code, demo["dc_th"], "dc_th_committee_member", title=title, via=GATE)
    case.do("dc_th_committee_member", "send", samples=False)
    return case.row


def test_an_emergency_is_listed_first_in_the_township_queue_and_my_tasks(
        two_procedures, demo, user, client):
    _submitted("97.1", "邻里纠纷(明天到期)", demo)
    _submitted("97.2", "山体滑坡(一个月内)", demo)
    later = Task.objects.get(case__title="山体滑坡(一个月内)", state="open")
    assert later.due_at > timezone.now() + dt.timedelta(days=20)
    township = user("dc_township_government")
    assert [t.case.title for t in review_tasks(township)][:2] == [
        "山体滑坡(一个月内)", "邻里纠纷(明天到期)"]
    client.force_login(township)
    html = client.get(reverse("home")).content.decode()
    assert html.index("山体滑坡(一个月内)") < html.index("邻里纠纷(明天到期)")


def test_the_emergency_procedures_are_marked_urgent():
    marked = {s.code for s in registry.all() if s.urgent}
    assert {"10.1", "10.4"} <= marked
    assert not marked & {"07.1", "07.2"}  # disputes and petitions wait their turn
