"""Contract 5: shapes, codes and scope of the HTTP API."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.driver import open_case
from tests.seals.helpers import applied
from workflows.registry import registry


def test_token_login_and_401s(demo, api):
    anon = api(None)
    assert anon.get("/api/cases/").status_code == 401
    body = anon.get("/api/cases/").json()
    assert set(body) >= {"code", "detail"}
    bad = anon.post("/api/token/", {"username": "dc_th_branch_secretary", "password": "no"},
                    format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_credentials"
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert anon.get("/api/cases/").status_code == 401


def test_expired_token_is_401(demo, api, settings):
    client = api("dc_th_branch_secretary")
    token = Token.objects.get(user__username="dc_th_branch_secretary")
    Token.objects.filter(pk=token.pk).update(created=token.created - dt.timedelta(
        hours=settings.API_TOKEN_TTL_HOURS + 1))
    response = client.get("/api/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_procedures_carry_the_seven_fields(demo, api):
    body = api("dc_th_branch_secretary").get("/api/procedures/").json()
    codes = [p["code"] for p in body]
    assert codes == registry.codes()
    for p in body:
        for key in ("code", "name", "category", "guiding_units", "supervisor", "risks",
                    "measures", "steps"):
            assert p[key], (p["code"], key)
        for risk in p["risks"]:
            assert risk["control"]
        for step in p["steps"]:
            assert set(step) >= {"code", "name", "roles", "level"}
    four = next(p for p in body if p["code"] == "03.1")
    assert [s["code"] for s in four["steps"]] == [
        "propose", "deliberate", "members_review", "villagers_decide", "resolution_publicity",
        "implementation"]


def test_open_case_answers_201_with_the_case(demo, api):
    response = api("dc_th_committee_member").post(
        "/api/cases/", {"procedure": "04.2", "region": demo["dc_th"].pk, "title": "开证明"},
        format="json")
    assert response.status_code == 201
    case = response.json()
    for key in ("id", "procedure", "region", "title", "state", "closed", "tasks", "actions",
                "events", "publicity"):
        assert key in case
    assert case["region"] == demo["dc_th"].pk
    assert case["tasks"][0]["step"] == "apply"
    assert case["tasks"][0]["step_name"] == "申请盖章"
    assert case["tasks"][0]["region"] == demo["dc_th"].pk
    action = case["actions"][0]
    assert action["code"] == "apply"
    fields = {f["name"]: f for f in action["fields"]}
    assert fields["document"]["type"] == "file"
    assert "application/pdf" in fields["document"]["accept"]
    assert fields["matter"]["choices"] == [{"value": "routine", "label": "一般常规业务"},
                                           {"value": "major", "label": "重大事项"}]
    assert case["events"][0]["action"] == "open"
    assert case["events"][0]["actor"] == "dc_th_committee_member"
    assert case["events"][0]["at"].endswith("+08:00")


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"procedure": "99.9", "title": "x"}, 400, "unknown_procedure"),
    ({"procedure": "04.2", "title": ""}, 400, "missing_field"),
])
def test_open_case_refusals(demo, api, payload, status, code):
    payload = {"region": demo["dc_th"].pk, **payload}
    response = api("dc_th_committee_member").post("/api/cases/", payload, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_open_case_scope_and_role(demo, api):
    client = api("dc_th_committee_member")
    other = client.post("/api/cases/", {"procedure": "04.2", "region": demo["dc_yl"].pk,
                                        "title": "x"}, format="json")
    assert other.status_code == 404
    township = client.post("/api/cases/", {"procedure": "04.2", "region": demo["dc"].pk,
                                           "title": "x"}, format="json")
    assert township.status_code == 404
    sup = api("dc_th_supervisory_member").post(
        "/api/cases/", {"procedure": "04.2", "region": demo["dc_th"].pk, "title": "x"},
        format="json")
    assert sup.status_code == 403
    assert sup.json()["code"] == "permission_denied"


def test_case_list_is_scoped_filtered_and_paginated(demo, api):
    for _ in range(3):
        open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    open_case("04.2", demo["dc_yl"], "dc_yl_committee_member", title="用印申请")
    open_case("04.2", demo["xh_qq"], "xh_qq_committee_member", title="用印申请")
    town = api("dc_township_party").get("/api/cases/").json()
    assert town["count"] == 4
    assert {c["region"] for c in town["results"]} == {demo["dc_th"].pk, demo["dc_yl"].pk}
    only = api("dc_township_party").get(f"/api/cases/?region={demo['dc_yl'].pk}").json()
    assert only["count"] == 1
    assert api("dc_township_party").get(f"/api/cases/?region={demo['xh_qq'].pk}"
                                        ).status_code == 404
    district = api("sfq_district_civil_affairs")
    assert district.get("/api/cases/?procedure=04.2").json()["count"] == 5
    assert district.get("/api/cases/?procedure=04.1").json()["count"] == 0
    assert district.get("/api/cases/?state=open").json()["count"] == 5
    assert district.get("/api/cases/?overdue=true").json()["count"] == 0
    assert district.get("/api/cases/?state=bogus").json()["code"] == "invalid"
    page = district.get("/api/cases/?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]


def test_case_list_query_count_does_not_grow(demo, api, django_assert_max_num_queries):
    client = api("sfq_district_org")
    for _ in range(2):
        open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/cases/?page_size=50")
    small = len(few.captured_queries)
    for _ in range(12):
        open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    with django_assert_max_num_queries(small):
        client.get("/api/cases/?page_size=50")


def test_out_of_scope_is_404_on_every_case_endpoint(demo, api, user):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    outsider = api("dc_yl_committee_director")
    assert outsider.get(f"/api/cases/{case.id}/").status_code == 404
    r = case.post("dc_yl_committee_director", "approve", {})
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    att = case.case["attachments"][0]["url"]
    from django.test import Client

    web = Client()
    web.force_login(user("dc_yl_committee_director"))
    assert web.get(att).status_code == 404
    assert web.get(f"/cases/{case.id}/").status_code == 404
    insider = Client()
    insider.force_login(user("dc_th_supervisory_member"))
    download = insider.get(att)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_actions_list_only_what_the_gate_accepts(demo, api):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    applicant = api("dc_th_committee_member").get(f"/api/cases/{case.id}/").json()
    assert [a["code"] for a in applicant["actions"]] == ["withdraw"]
    director = api("dc_th_committee_director").get(f"/api/cases/{case.id}/").json()
    assert [a["code"] for a in director["actions"]] == ["approve", "reject", "return"]


def test_bad_bodies_get_code_and_detail(demo, api):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    client = api("dc_th_committee_member")
    url = f"/api/cases/{case.id}/actions/"
    r = client.post(url, {"data": {}}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "missing_field"
    r = client.post(url, {"action": "apply", "data": [1, 2]}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = client.post(url, {"action": "apply", "data": {"purpose": "x", "matter": "routine",
                                                      "copies": "many"}}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_field"
    r = client.post(url, {"action": "apply", "data": {"purpose": "x", "matter": "routine",
                                                      "copies": 1, "hack": 1}}, format="json")
    assert r.json()["code"] == "unknown_field"
    r = client.post(url, "not json", content_type="application/json")
    assert r.status_code == 400 and set(r.json()) >= {"code", "detail"}
    assert client.get(f"/api/cases/{case.id}/").json()["events"][-1]["action"] == "open"


def test_sequential_second_approval_is_a_conflict(demo, api, user):
    from core.models import Membership

    second = user("dc_th_committee_member")
    Membership.objects.create(user=user("dc_th_branch_deputy"), region=demo["dc_th"],
                              role="committee_director")
    case = applied("dc_th_grid_worker", "04.2", demo["dc_th"])
    assert second
    first = case.post("dc_th_committee_director", "approve", {})
    assert first.status_code == 200
    late = case.post("dc_th_branch_deputy", "approve", {})
    assert late.status_code == 409
    assert late.json()["code"] == "conflict"


def test_notifications_reach_the_next_actor(demo, api):
    applied("dc_th_committee_member", "04.2", demo["dc_th"])
    body = api("dc_th_committee_director").get("/api/notifications/").json()
    assert body["count"] >= 1
    note = body["results"][0]
    assert set(note) == {"id", "case", "message", "created_at", "read"}
    assert "待您办理" in note["message"]
    assert note["read"] is False
    client = api("dc_th_committee_director")
    assert client.post(f"/api/notifications/{note['id']}/read/").status_code == 200
    assert client.get("/api/notifications/").json()["results"][0]["read"] is True
    assert api("dc_yl_committee_director").post(
        f"/api/notifications/{note['id']}/read/").status_code == 404


def test_openapi_schema(demo, api):
    response = api("dc_th_branch_secretary").get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/cases/", "/api/cases/{id}/", "/api/cases/{id}/actions/",
                 "/api/procedures/", "/api/notifications/", "/api/registers/", "/api/token/"):
        assert path in paths, path


# --- the case filters: one CaseFilter (workflows.filters) for /cases/ and /api/cases/ ----------


BAD_FILTERS = [
    ("state=bogus", "state"),
    ("region=abc", "region"),
    ("region=1.5", "region"),
    ("overdue=perhaps", "overdue"),
    ("procedure=99.9", "procedure"),
    ("from=2026-02-30", "from"),
    ("to=tomorrow", "to"),
    ("q=a%00b", "q"),  # a NUL: PostgreSQL would refuse the query
    (f"q={'长' * 101}", "q"),
]


@pytest.fixture
def listed(demo, api):
    """Cases of 04.2 in two villages of one township and one of the other."""
    for title in ("出具居住证明", "出具收入证明"):
        open_case("04.2", demo["dc_th"], "dc_th_committee_member", title=title)
    open_case("04.2", demo["dc_yl"], "dc_yl_committee_member", title="出具困难证明")
    open_case("04.2", demo["xh_qq"], "xh_qq_committee_member", title="出具就业证明")
    return demo


def _page_count(web, query):
    response = web.get(f"/cases/?{query}")
    assert response.status_code == 200, query
    return response.context["page"].paginator.count, response.content.decode()


def test_page_and_api_filter_cases_alike(listed, api, user):
    demo = listed
    client = api("dc_township_party")
    web = Client()
    web.force_login(user("dc_township_party"))
    today = timezone.localdate()
    queries = {
        "": 3,
        "procedure=04.2": 3,
        "procedure=": 3,
        "state=open": 3,
        "state=closed": 0,
        f"region={demo['dc_th'].pk}": 2,
        f"region={demo['dc'].pk}": 3,  # a township: its villages' cases
        "q=困难": 1,
        "q=%20证明%20": 3,
        f"from={today}": 3,
        f"to={today - dt.timedelta(days=1)}": 0,
        f"from={today}&to={today}": 3,
        "overdue=1": 0,
        "overdue=true": 0,
        "overdue=false": 3,
    }
    for query, count in queries.items():
        assert client.get(f"/api/cases/?{query}").json()["count"] == count, query
        assert _page_count(web, query)[0] == count, query


@pytest.mark.parametrize(("query", "field"), BAD_FILTERS)
def test_a_bad_filter_is_a_400_on_the_api_and_left_out_on_the_page(listed, api, user, query,
                                                                    field):
    response = api("dc_township_party").get(f"/api/cases/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == field and body["detail"]
    web = Client()
    web.force_login(user("dc_township_party"))
    count, page = _page_count(web, query)
    assert count == 3
    assert "该条件未采用" in page


def test_a_region_out_of_sight_is_404_on_both(listed, api, user):
    other = listed["xh_qq"].pk
    assert api("dc_township_party").get(f"/api/cases/?region={other}").status_code == 404
    web = Client()
    web.force_login(user("dc_township_party"))
    assert web.get(f"/cases/?region={other}").status_code == 404


def test_the_schema_lists_the_filters_of_case_filter(demo, api):
    from workflows.filters import CaseFilter

    schema = api("dc_th_branch_secretary").get("/api/schema/?format=json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/cases/"]["get"]["parameters"]}
    assert set(CaseFilter.base_filters) <= set(params)
    assert set(params) - set(CaseFilter.base_filters) == {"page", "page_size"}
    assert params["overdue"]["schema"]["type"] == "boolean"
    assert params["region"]["schema"]["type"] == "integer"
    assert params["from"]["schema"] == {"type": "string", "format": "date"}
    assert params["state"]["schema"]["enum"] == ["closed", "open", "withdrawn"]
    assert params["q"]["schema"]["maxLength"] == 100
