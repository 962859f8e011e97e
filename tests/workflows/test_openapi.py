"""The API's live answers against its own OpenAPI schema (contract 5).

Every answer under /api/ that a test of this module receives through ``api`` is validated
with openapi-core against the schema the portal serves at ``/api/schema/``: its status, its
content type and its body. The schema is validated "closed": an object of the schema that
does not name a key the answer carries is an error too (the served schema stays open, so
that it can be extended). The operations and statuses met are counted, and the endpoint
test checks that every endpoint and every refusal the schema documents was met live.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_schema_validator import OAS30Validator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import User
from portal.demo import DEMO_PASSWORD
from tests.driver import opener, walk
from tests.portal.pages import scenario
from tests.samples import upload_png
from tests.workflows.roster_helpers import exercise_choices
from workflows.registry import registry

# --- the schema as a validator ----------------------------------------------------------------

OPEN_COMPONENTS = {"Error"}  # "{code, detail, field?, not_before?, …}": room for more keys


def closed(document: dict[str, Any]) -> dict[str, Any]:
    """The schema with every object component closed to keys it does not name."""
    strict = copy.deepcopy(document)
    for name, component in strict["components"]["schemas"].items():
        if (name not in OPEN_COMPONENTS and component.get("type") == "object"
                and "properties" in component):
            component.setdefault("additionalProperties", False)
    return strict


class _Request(DjangoOpenAPIRequest):
    """The request of an answer, to find its operation: matched by the URL path (Django's
    route names ``pk`` what the schema calls ``id``); its body is not needed for that (and
    may be one that Django refuses to read)."""

    @property
    def path_pattern(self) -> None:
        return None

    @property
    def body(self) -> bytes:
        return b""


def _template_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("".join("[^/]+?" if p.startswith("{") else re.escape(p)
                              for p in parts) + "$")


class Schema:
    """The served schema, the validator made from it, and what the tests met."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.openapi = OpenAPI.from_dict(closed(document))
        self.paths = [(_template_regex(p), p) for p in document["paths"]]
        self.met: set[tuple[str, str, str]] = set()

    def operation(self, method: str, path: str) -> tuple[str, str] | None:
        for regex, template in self.paths:
            if regex.match(path) and method.lower() in self.document["paths"][template]:
                return method.lower(), template
        return None

    def problems(self, response: HttpResponse, request: Any = None) -> list[str]:
        request = request if request is not None else response.wsgi_request
        found = []
        for error in self.openapi.iter_response_errors(_Request(request),
                                                       DjangoOpenAPIResponse(response)):
            detail = [f"{type(error).__name__}: {error}"]
            cause = error.__cause__
            while cause is not None:
                detail.append(f"{type(cause).__name__}: {cause}")
                detail.extend(str(e.message) for e in getattr(cause, "schema_errors", ()))
                cause = cause.__cause__
            found.append(" / ".join(detail))
        return found

    def check(self, response: HttpResponse) -> None:
        request = response.wsgi_request
        problems = self.problems(response)
        assert not problems, (request.method, request.get_full_path(), response.status_code,
                              problems, response.content[:2000])
        op = self.operation(request.method or "", request.path)
        assert op is not None
        self.met.add((*op, str(response.status_code)))

    def documented(self) -> set[tuple[str, str, str]]:
        return {(method, path, status)
                for path, ops in self.document["paths"].items()
                for method, op in ops.items()
                for status in op["responses"]}

    def component(self, name: str) -> dict[str, Any]:
        return closed(self.document)["components"]["schemas"][name]


class CheckedClient(APIClient):
    """An API client whose every answer under /api/ is held to the schema."""

    def __init__(self, schema: Schema, **defaults: Any) -> None:
        super().__init__(**defaults)
        self.schema = schema

    def request(self, **kwargs: Any) -> Any:
        response = super().request(**kwargs)
        path = response.wsgi_request.path
        if path.startswith("/api/") and not path.startswith("/api/schema/"):
            self.schema.check(response)
        return response


@pytest.fixture
def schema(user: Callable[[str], User]) -> Schema:
    """The schema as the portal serves it to a signed-in user."""
    browser = Client()
    browser.force_login(user("dc_th_committee_member"))
    response = browser.get("/api/schema/?format=json")
    assert response.status_code == 200, response.content[:500]
    return Schema(response.json())


@pytest.fixture
def api(schema: Schema, user: Callable[[str], User]) -> Callable[[str | None], CheckedClient]:
    """As tests/conftest.py's ``api``, with every answer validated against the schema."""

    def make(username: str | None = None) -> CheckedClient:
        client = CheckedClient(schema)
        if username:
            response = client.post("/api/token/", {"username": username,
                                                   "password": DEMO_PASSWORD}, format="json")
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return make


def big_json(size: int = 6 * 1024 * 1024) -> str:
    return json.dumps({"title": "x" * size})


# --- the schema itself ------------------------------------------------------------------------


def test_schema_generates_valid_without_warnings(tmp_path):
    """drf-spectacular's own check: a warning (an unknown type, an enum name clash, a view
    it cannot read) fails the build, so that none creeps back in."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


def test_schema_is_served_to_signed_in_users_only(demo, user):
    anonymous = Client()
    for url in ("/api/schema/", "/api/schema/?format=json"):
        response = anonymous.get(url)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_authenticated"
    by_session = Client()
    by_session.force_login(user("dc_th_grid_worker"))
    assert by_session.get("/api/schema/").content.startswith(b"openapi: 3")
    assert by_session.get("/api/schema/?format=json").json()["openapi"].startswith("3.")
    by_token = APIClient()
    token = by_token.post("/api/token/", {"username": "dc_th_grid_worker",
                                          "password": DEMO_PASSWORD}, format="json")
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert by_token.get("/api/schema/?format=json").status_code == 200
    by_token.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert by_token.get("/api/schema/?format=json").status_code == 401


def test_every_refusal_is_one_error_body(schema):
    """Each status an endpoint documents beyond its answer is the one Error component."""
    for path, ops in schema.document["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, status)
    error = schema.document["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "detail"]
    assert {"field", "not_before"} <= set(error["properties"])


def test_the_validator_refuses_answers_that_differ_from_the_schema(demo, api, schema):
    """The check bites: a body, a key, a type or a status that the schema does not say."""
    client = api("dc_th_committee_member")
    real = client.post("/api/cases/", {"procedure": "04.2", "region": demo["dc_th"].pk,
                                       "title": "用印申请"}, format="json")
    assert real.status_code == 201
    body = real.json()

    def answer(content: Any, status: int = 201) -> list[str]:
        fake = HttpResponse(json.dumps(content), status=status,
                            content_type="application/json")
        return schema.problems(fake, request=real.wsgi_request)

    assert answer(body) == []

    def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        wrong = copy.deepcopy(body)
        change(wrong)
        return wrong

    wrong_bodies = {
        "a required key missing": changed(lambda b: b.pop("tasks")),
        "a key the schema does not name": changed(lambda b: b.update(surprise=1)),
        "a value outside its enum": changed(lambda b: b.update(state="bogus")),
        "a time without its offset": changed(lambda b: b.update(opened_at="2026-11-28 09:00")),
        "a number as text": changed(lambda b: b.update(id=str(b["id"]))),
        "a nested field of an unknown type": changed(
            lambda b: b["actions"][0]["fields"][0].update(type="colour")),
        "a nested key the schema does not name": changed(
            lambda b: b["tasks"][0].update(assignee="someone")),
        "null where none is allowed": changed(lambda b: b["events"][0].update(at=None)),
    }
    for why, wrong in wrong_bodies.items():
        assert answer(wrong), why
    assert answer(body, status=200), "a status the operation does not document"
    assert answer({"detail": "未找到。"}, status=404), "an error body without its code"
    assert answer({"code": "not_found", "detail": "未找到。"}, status=404) == []


# --- every endpoint, live ---------------------------------------------------------------------


def test_every_endpoint_answers_as_its_schema_says(demo, api, schema, settings):
    """Each operation of the schema is called as demo users, on cases in several states,
    for its answer and for each refusal it documents; every answer is validated."""
    th, yl, xq = demo["dc_th"], demo["dc_yl"], demo["xh_qq"]
    ids = scenario.build(demo)
    member, director = api("dc_th_committee_member"), api("dc_th_committee_director")
    anonymous = api(None)

    # token: 200 (above, for every client), 400, 413, 429
    assert anonymous.post("/api/token/", {"username": "dc_th_mediator"},
                          format="json").json()["code"] == "missing_field"
    assert anonymous.post("/api/token/", {"username": "dc_th_mediator", "password": "no"},
                          format="json").json()["code"] == "invalid_credentials"
    assert anonymous.post("/api/token/", {"username": "a\x00b", "password": "x"},
                          format="json").status_code == 400
    assert anonymous.post("/api/token/", big_json(),
                          content_type="application/json").status_code == 413
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        anonymous.post("/api/token/", {"username": "dc_th_mediator", "password": "bad"},
                       format="json")
    locked = anonymous.post("/api/token/", {"username": "dc_th_mediator",
                                            "password": DEMO_PASSWORD}, format="json")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"

    # every endpoint but the token refuses the anonymous: 401
    for method, path in [("get", "/api/procedures/"), ("get", "/api/procedures/04.2/"),
                         ("get", "/api/cases/"), ("post", "/api/cases/"),
                         ("get", f"/api/cases/{ids['seal_open']}/"),
                         ("post", f"/api/cases/{ids['seal_open']}/actions/"),
                         ("post", f"/api/cases/{ids['seal_open']}/nudge/"),
                         ("get", "/api/notifications/"), ("post", "/api/notifications/1/read/"),
                         ("get", "/api/registers/"),
                         ("get", f"/api/registers/x/{th.pk}.pdf")]:
        response = getattr(anonymous, method)(path)
        assert response.status_code == 401, (method, path)

    # procedures
    procedures = member.get("/api/procedures/").json()
    assert [p["code"] for p in procedures] == registry.codes()
    for code in registry.codes():
        assert member.get(f"/api/procedures/{code}/").status_code == 200
    assert member.get("/api/procedures/99.9/").status_code == 404

    # open a case of every procedure: 201 with the first step's fields; refusals
    for code in registry.codes():
        response = api(opener(code, th)).post(
            "/api/cases/", {"procedure": code, "region": th.pk, "title": f"{code} 试办"},
            format="json")
        assert response.status_code == 201, (code, response.content)
    for payload, status in [({"procedure": "99.9", "title": "x"}, 400),
                            ({"procedure": "04.2", "title": ""}, 400),
                            ({"procedure": "04.2", "title": "a\x00b"}, 400),
                            ({"procedure": "04.2", "region": "x", "title": "x"}, 400),
                            ({"procedure": "04.2", "region": yl.pk, "title": "x"}, 404)]:
        response = member.post("/api/cases/", {"region": th.pk, **payload}, format="json")
        assert response.status_code == status, (payload, response.content)
    assert member.post("/api/cases/", [1], format="json").status_code == 400
    assert api("dc_th_supervisory_member").post(
        "/api/cases/", {"procedure": "04.2", "region": th.pk, "title": "x"},
        format="json").status_code == 403
    assert member.post("/api/cases/", big_json(),
                       content_type="application/json").status_code == 413

    # the case list: pages, filters, refusals
    for who in ("dc_th_committee_member", "dc_township_party", "sfq_district_org",
                "dc_th_supervisory_member", "sfq_district_civil_affairs"):
        client = api(who)
        first = client.get("/api/cases/?page_size=5").json()
        if first["next"]:
            client.get("/api/cases/?page_size=5&page=2")
        for query in ("state=open", "state=closed", "overdue=true", "overdue=false",
                      f"region={th.pk}", "procedure=03.1", "q=证明",
                      "from=2026-01-01&to=2030-12-31"):
            assert client.get(f"/api/cases/?{query}").status_code == 200, (who, query)
    for query in ("state=bogus", "region=abc", "overdue=perhaps", "procedure=99.9",
                  "from=2026-13-01", "q=a%00b", f"q={'长' * 101}"):
        response = member.get(f"/api/cases/?{query}")
        assert response.status_code == 400, query
        assert response.json()["field"] == query.split("=")[0]
    assert member.get(f"/api/cases/?region={xq.pk}").status_code == 404
    assert member.get("/api/cases/?page=999").status_code == 404

    # case pages in every state, as the actors, the supervisor, the township, the district
    for who in ("dc_th_committee_member", "dc_th_committee_director", "dc_th_seal_keeper",
                "dc_th_branch_secretary", "dc_th_supervisory_member", "dc_township_party",
                "dc_township_government", "sfq_district_org"):
        client = api(who)
        for case_id in (ids["closed_redo"], ids["in_publicity"], ids["seal_closed"],
                        ids["seal_open"], ids["seal_sep"]):
            assert client.get(f"/api/cases/{case_id}/").status_code == 200
    assert member.get(f"/api/cases/{ids['qq_seal']}/").status_code == 404
    assert member.get("/api/cases/999999/").status_code == 404

    # 催办: 201 with the event, 409 the same day, 403 for the holder, 404 out of scope,
    # 400 for a closed case
    nudge = f"/api/cases/{ids['seal_open']}/nudge/"
    assert member.post(nudge).status_code == 201
    assert member.post(nudge).json()["code"] == "already_nudged"
    assert director.post(nudge).status_code == 403
    assert api("dc_yl_committee_director").post(nudge).status_code == 404
    assert member.post(f"/api/cases/{ids['seal_closed']}/nudge/").status_code == 400

    # actions: 400 (a body, a rule, too early with not_before), 403, 404, 409, 413, 200
    url = f"/api/cases/{ids['seal_open']}/actions/"
    assert director.post(url, {"data": {}}, format="json").json()["code"] == "missing_field"
    assert director.post(url, "{not json", content_type="application/json").status_code == 400
    assert director.post(url, "[" * 50000 + "]" * 50000,
                         content_type="application/json").status_code == 400
    assert director.post(url, {"action": "approve", "data": {"opinion": "a\x00b"}},
                         format="json").status_code == 400
    assert director.post(url, big_json(), content_type="application/json").status_code == 413
    early = member.post(f"/api/cases/{ids['in_publicity']}/actions/",
                        {"action": "publicity_done", "data": json.dumps({"location": "公开栏"}),
                         "photo": upload_png()}, format="multipart")
    assert early.status_code == 400 and early.json()["not_before"]
    assert api("dc_th_supervisory_member").post(
        url, {"action": "approve", "data": {"opinion": "同意"}}, format="json",
    ).status_code == 403
    assert api("dc_yl_committee_director").post(
        url, {"action": "approve", "data": {}}, format="json").status_code == 404
    assert director.post(url, {"action": "approve", "data": {"opinion": "同意"},
                               "step": "apply"}, format="json").status_code == 409
    done = director.post(url, {"action": "approve", "data": {"opinion": "同意"},
                               "step": "approve"}, format="json")
    assert done.status_code == 200 and done.json()["current_step"] != "approve"

    # notifications: the list, its filter, marking one read
    for who in ("dc_th_committee_member", "dc_th_committee_director", "dc_th_seal_keeper"):
        client = api(who)
        assert client.get("/api/notifications/?unread=true").status_code == 200
        notes = client.get("/api/notifications/?page_size=2").json()
        if notes["results"]:
            note = notes["results"][0]["id"]
            assert client.post(f"/api/notifications/{note}/read/").status_code == 200
            assert api("dc_yl_committee_director").post(
                f"/api/notifications/{note}/read/").status_code == 404
    assert member.get("/api/notifications/?unread=perhaps").status_code == 400
    assert member.get("/api/notifications/?page=999").status_code == 404

    # registers: the list and an export of each format
    registers = director.get("/api/registers/").json()
    assert registers
    assert director.get(registers[0]["pdf_url"]).status_code == 200
    assert director.get(registers[0]["xlsx_url"]).status_code == 200
    assert director.get(f"/api/registers/nope/{th.pk}.pdf").status_code == 404
    assert director.get(f"/api/registers/{registers[0]['code']}/{xq.pk}.xlsx"
                        ).status_code == 404

    # the choices of a ref field with many entries (its choices_url)
    exercise_choices(api, th)

    missing = schema.documented() - schema.met
    assert not missing, f"documented but never met live: {sorted(missing)}"


def test_other_addresses_under_api_answer_the_error_body(demo, schema, user):
    client = Client()
    client.force_login(user("dc_th_committee_member"))
    error = OAS30Validator(schema.component("Error"))
    for response in (client.get("/api/nope/"), client.get("/api/cases"),
                     client.put("/api/cases/"), client.post("/api/cases/", "<a/>",
                                                              content_type="application/xml")):
        assert response.status_code in (404, 405, 415)
        assert response["Content-Type"].startswith("application/json")
        error.validate(response.json())


def test_an_expired_token_is_a_documented_401(demo, api, settings):
    client = api("dc_th_grid_worker")
    Token.objects.filter(user__username="dc_th_grid_worker").update(
        created=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert client.get("/api/cases/").status_code == 401


# --- every kind of field, walked --------------------------------------------------------------


FIELD_KEYS = ("help", "required_if", "min", "max", "after", "max_length", "format", "pattern",
              "min_items", "max_items", "columns", "min_rows", "max_rows", "ref", "max_bytes")


def _features(code: str) -> set[str]:
    """What the fields of a procedure need the schema to say: each type, each bound."""
    spec = registry.get(code)
    assert spec is not None
    found: set[str] = set()
    for step in spec.steps:
        if step.publicity:
            found.add("publicity")
        if step.back_to:
            found.add("return")
        for action in step.actions:
            for fs in action.fields:
                found.add(str(fs.type))
                found.update(f"{fs.type}:{key}" for key in FIELD_KEYS if getattr(fs, key))
    return found


def _fewest_procedures() -> Iterator[str]:
    """Procedures that between them use every field type and bound of all (greedy)."""
    features = {code: _features(code) for code in registry.codes()}
    wanted = set().union(*features.values())
    while wanted:
        best = max(registry.codes(), key=lambda c: (len(features[c] & wanted), c))
        wanted -= features[best]
        yield best


@pytest.mark.parametrize("procedure", list(_fewest_procedures()))
def test_walked_cases_answer_as_the_schema_says(procedure, demo, api, clock):
    """Walked to its end through the API, every step's answer (its actions and fields
    included) is the schema's: together these walks meet every field type and bound."""
    case = walk(procedure, "dc_th", clock=clock, clients=api)
    assert case["closed"] is True

