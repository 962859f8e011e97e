"""The demo scenario (fixtures/demo_scenario.json) that ``seed_demo`` loads: cases in every
state in each village, made through the gate at their scripted times, every chain sound,
and a second load adds nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Membership, Region
from portal.demo import PLACES
from portal.scenario import ScenarioError, load_scenario, scenario_cases, scripted_clock
from seals.models import SealUse
from workflows.chaincheck import verify_cases
from workflows.choices import AlertKind, DeadlineKind
from workflows.models import (
    Alert,
    Case,
    CaseEvent,
    Deadline,
    Notification,
    Objection,
    PublicityNotice,
    Task,
)
from workflows.registers import all_registers

VILLAGES = [p for p in PLACES if p.parent in ("dc", "xh")]


@pytest.fixture
def loaded(demo, capsys):
    call_command("seed_demo", "--quiet")
    return demo


def _open_at(village: Region, step: str) -> Case:
    return Case.objects.get(region=village, state="open", current_step=step)


def test_the_scenario_covers_every_state_in_every_village(loaded):
    for place in VILLAGES:
        village = loaded[place.slug]
        cases = Case.objects.filter(region=village)
        assert cases.count() >= 12, place.slug
        tasks = Task.objects.filter(village=village, state="open")
        # waiting at a village step, at the township's review and approval, at a filing
        assert tasks.filter(region=village).exists()
        assert tasks.filter(region=village.parent, step="township_check").exists()
        assert tasks.filter(region=village.parent, step="township_review").exists()
        assert tasks.filter(step="district_filing", region=village.parent.parent).exists()
        # a publicity running with an objection recorded
        running = PublicityNotice.objects.filter(case__region=village, state="running")
        assert Objection.objects.filter(notice__in=running).exists()
        # one overdue and escalated: the sweep fired its escalation and raised the alert
        overdue = _open_at(village, "mediate")
        assert Deadline.objects.filter(case=overdue, kind=DeadlineKind.ESCALATION,
                                       fired_at__isnull=False).exists()
        assert Alert.objects.filter(case=overdue, kind=AlertKind.OVERDUE).exists()
        assert overdue.opened_at < timezone.now() - dt.timedelta(days=30)
        # one returned (退回), now back at the applicant's step
        returned = CaseEvent.objects.get(case__region=village, action="return")
        assert returned.case.current_step == returned.to_step == "apply"
        # closed ones, whose registers (台账) are filled
        assert cases.filter(state="closed").count() >= 4
        assert SealUse.objects.filter(case__region=village).exists()
        filled = {r.procedure for r in all_registers()
                  if r.level == "village" and list(r.rows(village))}
        assert {"03.1", "04.2", "10.2", "09"} <= filled, filled
        # the loader waits for each window: nobody "tried to end a publicity early"
        assert not Alert.objects.filter(case__region=village,
                                        kind=AlertKind.PUBLICITY_CUT_SHORT).exists()


def test_every_first_screen_has_work(loaded, web):
    pages = {"dc_th_branch_secretary": "/", "dc_th_committee_director": "/",
             "dc_th_seal_keeper": "/", "dc_township_party": "/review/",
             "dc_township_government": "/review/", "sfq_district_civil_affairs": "/dashboard/",
             "dc_th_supervisory_member": "/audit/", "dc_th_collective_head": "/",
             "dc_th_grid_worker": "/"}
    titles = {"dc_th_branch_secretary": "村文化礼堂修缮工程",
              "dc_th_committee_director": "开具低保户家庭情况证明用印",
              "dc_th_seal_keeper": "村民建房申请表用印",
              "dc_township_party": "修订村规民约(移风易俗)",
              "dc_township_government": "村仓库火情处置",
              "dc_th_collective_head": "村集体厂房租赁合同用印",
              "dc_th_grid_worker": "冬季防火网格集中排查"}
    for username, url in pages.items():
        page = web(username).get(url, follow=True)
        assert page.status_code == 200, (username, url)
        if username in titles:
            assert titles[username] in page.content.decode(), username
    board = web().get(f"/board/{loaded['dc_th'].pk}/")
    assert "村道路灯安装工程" in board.content.decode()


def test_every_chain_verifies_and_a_second_load_adds_nothing(loaded):
    ids = list(Case.objects.values_list("pk", flat=True))
    assert len(ids) == len(scenario_cases())
    cases, events, problems = verify_cases(ids)
    assert (cases, problems) == (len(ids), {})
    assert events > 3 * cases
    before = (Case.objects.count(), CaseEvent.objects.count(), Objection.objects.count())
    again = load_scenario()
    assert (again.made, again.present) == ([], len(ids))
    assert (Case.objects.count(), CaseEvent.objects.count(),
            Objection.objects.count()) == before


def test_no_cases_leaves_the_scenario_out(demo):
    call_command("seed_demo", "--quiet", "--no-cases")
    assert not Case.objects.exists()


def test_a_refused_step_stops_the_load_and_leaves_nothing(demo, tmp_path):
    script = {"villages": ["dc_th"], "cases": [
        {"procedure": "04.2", "title": "演示:不可能的一步", "days_ago": 1,
         "steps": [{"do": "apply"}, {"do": "stamp"}]}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(script, ensure_ascii=False), "utf-8")
    with pytest.raises(ScenarioError, match="stamp"):
        load_scenario(path)
    assert not Case.objects.exists()


def test_the_clock_sets_the_time_of_model_defaults_too(demo):
    with scripted_clock() as clock:
        past = timezone.now() - dt.timedelta(days=3)
        clock.move(past)
        assert timezone.now() == past
        user = Membership.objects.filter(region=demo["dc_th"]).first().user
        note = Notification.objects.create(user=user, message="演示")
        with pytest.raises(ScenarioError):
            clock.move(timezone.localtime() + dt.timedelta(days=9999))
    assert note.created_at == past
    assert timezone.now() > past + dt.timedelta(days=2)
