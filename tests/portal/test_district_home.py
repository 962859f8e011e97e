"""District roles land on the dashboard; 我的待办 stays one click away; no 发起事项 for
those who can start nothing; the case list offers the procedures its user sees."""

from __future__ import annotations

import re

import pytest

from core.models import Membership
from core.scope import forget_scope
from tests.driver import GATE, open_case
from workflows.models import Task
from workflows.visibility import lands_on_dashboard, starts_anything


def _offered(html: str) -> list[str]:
    select = html.split('id="f-procedure"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"', select)


@pytest.mark.parametrize("username", ["sfq_district_civil_affairs", "sfq_district_org",
                                      "sfq_district_leader"])
def test_district_roles_land_on_the_dashboard(web, username):
    client = web(username)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    page = client.get("/dashboard/").content.decode()
    assert 'href="/inbox/"' in page  # 我的待办 is still in the navigation
    inbox = client.get("/inbox/")
    assert inbox.status_code == 200
    assert "我的待办" in inbox.content.decode()


@pytest.mark.parametrize("username", ["dc_township_party", "dc_th_branch_secretary"])
def test_township_and_village_users_keep_their_inbox_as_home(web, username):
    response = web(username).get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "portal/home.html"


def test_a_district_user_who_also_holds_a_township_role_keeps_the_inbox(demo, user, web):
    bureau = user("sfq_district_civil_affairs")
    Membership.objects.create(user=bureau, region=demo["dc"], role="township_government")
    forget_scope(bureau)
    assert not lands_on_dashboard(bureau)
    assert web("sfq_district_civil_affairs").get("/").status_code == 200


def test_no_start_button_for_those_who_can_start_nothing(demo, web, user):
    assert not starts_anything(user("sfq_district_civil_affairs"))
    bureau_inbox = web("sfq_district_civil_affairs").get("/inbox/").content.decode()
    assert "发起事项" not in bureau_inbox
    assert starts_anything(user("dc_th_branch_secretary"))
    assert "发起事项" in web("dc_th_branch_secretary").get("/").content.decode()
    assert starts_anything(user("dc_township_government"))  # 06 starts at the township


def test_the_dashboard_tells_a_district_user_of_tasks_waiting(demo, web):
    client = web("sfq_district_org")
    assert 'data-testid="tasks-waiting"' not in client.get("/dashboard/").content.decode()
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明",
                     via=GATE)
    # a step of the district's (a defined procedure may have one): its holders are told
    Task.objects.filter(case_id=case.id, state="open").update(
        roles=",district_org,", region=demo["sfq"])
    html = client.get("/dashboard/").content.decode()
    assert 'data-testid="tasks-waiting"' in html
    assert "您有 1 件待办" in html


@pytest.mark.parametrize(("query", "field"), [("opened_month=2026-13", "opened_month"),
                                              ("closed_month=26-1", "closed_month"),
                                              ("late=perhaps", "late"),
                                              ("publicity=x", "publicity"),
                                              ("opened_month=0001-01", "opened_month")])
def test_a_bad_drill_down_filter_is_a_400_on_the_api(demo, api, query, field):
    response = api("dc_township_party").get(f"/api/cases/?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize(("username", "codes"), [
    ("sfq_district_civil_affairs", ["03.1", "03.2", "04.2"]),
    ("sfq_district_finance", ["06"]),
])
def test_the_case_list_offers_a_bureau_the_procedures_it_guides(web, username, codes):
    html = web(username).get("/cases/").content.decode()
    assert _offered(html) == codes


def test_the_case_list_offers_township_and_district_org_every_procedure(web):
    every = _offered(web("dc_township_party").get("/cases/").content.decode())
    assert len(every) == 27
    assert _offered(web("sfq_district_org").get("/cases/").content.decode()) == every


def test_the_case_list_says_which_dashboard_filters_it_applies(demo, web):
    open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明", via=GATE)
    client = web("sfq_district_civil_affairs")
    response = client.get("/cases/", {"opened_month": "2026-11", "late": "1"})
    html = response.content.decode()
    assert 'data-testid="drilled"' in html
    assert 'name="opened_month" value="2026-11"' in html
    assert "超时办理" in html
    bad = client.get("/cases/", {"opened_month": "2026-13"})
    assert "该条件未采用" in bad.content.decode()
    assert 'name="opened_month"' not in bad.content.decode()


def _ways(html: str) -> list[str]:
    return re.findall(r'<a class="way" href="([^"]+)"', html)


@pytest.mark.parametrize(("username", "expected", "absent"), [
    # an ordinary Party member starts nothing: the board of the village and the guide
    ("dc_th_party_member", ["/board/", "/procedures/"], ["/audit/"]),
    # a collective's supervisor audits the village
    ("dc_th_collective_supervisor", ["/audit/", "/board/"], []),
])
def test_an_empty_inbox_says_where_to_go_instead(web, demo, username, expected, absent):
    page = web(username).get("/").content.decode()
    assert 'data-testid="no-tasks"' in page
    ways = _ways(page)
    for start in expected:
        assert any(w.startswith(start) for w in ways), (start, ways)
    for start in absent:
        assert not any(w.startswith(start) for w in ways), (start, ways)
    assert f'/board/{demo["dc_th"].pk}/' in ways


def test_an_inbox_with_tasks_shows_no_ways(web, demo):
    open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具证明用印", via=GATE)
    page = web("dc_th_committee_member").get("/").content.decode()  # its applicant's step
    assert "出具证明用印" in page and 'class="way"' not in page
