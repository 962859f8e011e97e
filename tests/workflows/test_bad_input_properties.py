"""Bad input never reaches a server error (contract 5, "bad input"; issue 10, part 4).

Every procedure is walked by the schema-only client of ``test_schema_client`` and, at every
step, each action offered is sent generated values (hypothesis): a valid body built from the
field schema with ONE field (or one cell of a table, one part of a meeting, one unknown
field) replaced by something valid-looking or hostile — dates that do not exist, numbers out
of range or not finite, NUL and other control characters, lone surrogates, oversized strings,
wrong JSON types, deep nesting, rows of the wrong shape, refs that are no choice, meetings
with a bad ``held_at`` or ``attendees``. Through the API and through the case page's form.

The properties: the API answers 2xx, or 400 with a JSON body ``{"code", "detail", "field"}``
(never a 5xx); the form answers a page (200, or 400 with the errors shown, or a redirect
when accepted); on a refusal nothing changed (events, the case's state, attachments, notices,
notifications). Each example runs in a savepoint rolled back after it, so an accepted value
does not move the case under the next one.

Also: ``?q=`` with NUL on the list endpoints and pages (PostgreSQL cannot store or compare a
NUL), a body over the limit (413 JSON), JSON nested 100,000 deep (400).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import User
from tests.conftest import once_on_postgres
from tests.driver import CaseDriver, open_case
from tests.workflows.test_schema_client import FILES, SchemaClient, forward
from workflows.models import Attachment, Case, CaseEvent, Notification, PublicityNotice
from workflows.registry import registry

pytestmark = [pytest.mark.django_db, once_on_postgres]

API_EXAMPLES = 10  # per action offered at each step
FORM_EXAMPLES = 3
SETTINGS = settings(max_examples=API_EXAMPLES, deadline=None, database=None,
                    derandomize=True, suppress_health_check=list(HealthCheck))
FORM_SETTINGS = settings(SETTINGS, max_examples=FORM_EXAMPLES)


class Raw:
    """JSON text sent as it is (what ``json.dumps`` will not write: NaN, 1e999999)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:40]!r})"


def dumps(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value)


def nested(depth: int, leaf: Any = 1) -> Raw:
    return Raw("[" * depth + json.dumps(leaf) + "]" * depth)


# --- the hostile values ---------------------------------------------------------------------

DATES = ["2026-02-30", "2026-13-01", "2026-00-10", "0000-00-00", "0001-01-01", "9999-12-31",
         "2026-11-02T25:00:00+08:00", "2026-11-02T10:00:00+99:00", "2026-11-02T10:00",
         "2026-11", "20261102", "２０２６-１１-０２", "2026-11-02\x00", "99999-01-01",
         "-2026-11-02", "2026-11-02T10:00:00.9999999999+08:00", "1899-12-31"]
NUMBERS: list[Any] = [2**31, 2**31 - 1, 2**63, -2**63, 2**64, -1, 0, 1.5, -0.0, 1e308,
                      Raw("1e999999"), Raw("-1e999999"), Raw("NaN"), Raw("Infinity"),
                      Raw("-Infinity"), Raw("1" * 5000), Raw("0." + "0" * 5000 + "1"),
                      Raw("1E+999999999999"), "1e999999", "NaN", "inf", "-inf", "1_000",
                      "0x10", "１２", "١٢٣", " 7 ", "+5", "1e3", "12.345", ".5", "5.",
                      "99999999999999999999", "-0", "1,000"]
STRINGS = ["", " ", "\x00", "a\x00b", "\x01\x02\x1f", "\x7f", "\u202eabc", "\ufeff",
           Raw('"\\ud800"'), Raw('"a\\udfffb"'), Raw('"\\u0000"'), "x" * 201, "字" * 10_001,
           "x" * 200_000, "\n\r\t", "<script>alert(1)</script>", "' OR 1=1 --",
           "330102198503150020", "33010219850230001X", "1380013800", "91330102MA2000000X",
           "null", "true", "[]", "{}"]
TYPES: list[Any] = [None, True, False, [], [None], ["a"], [1, 2], {}, {"id": None},
                    {"id": []}, {"id": "999999"}, {"a": {"b": {"c": [1]}}}, nested(200),
                    nested(5000), Raw('{"a": 1, "a": 2}'), [[{"x": [[[]]]}]],
                    {"\x00": 1}, {"": 1}]
REFS = ["0", "-1", "999999999", str(2**63), "1.0", " 1", "1 ", "\x00", "None", "admin",
        {"id": "0"}, {"id": 2**63}, {"id": {"id": 1}}]
HELD = [None, "", "2026-02-30", "2026-02-30T10:00:00+08:00", "2999-01-01", "1900-01-01",
        "2020-01-01", 20261102, Raw("1e999999"), [], {}, "2026-11-02T10:00:00+14:00",
        "\x00", "x" * 10_000]
ATTENDEES: list[Any] = ["all", [None], [True], [{"x": 1}], ["\x00"], [2**63], ["0"],
                        [[]], list(range(3000)), ["x" * 100_000], {}, 5]


def scalars() -> st.SearchStrategy[Any]:
    json_leaf = (st.none() | st.booleans() | st.integers()
                 | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
    generated = st.recursive(json_leaf, lambda c: st.lists(c, max_size=3)
                             | st.dictionaries(st.text(max_size=5), c, max_size=3),
                             max_leaves=8)
    return st.one_of(st.sampled_from(DATES), st.sampled_from(NUMBERS),
                     st.sampled_from(STRINGS), st.sampled_from(TYPES), st.sampled_from(REFS),
                     generated)


def meeting_parts() -> st.SearchStrategy[tuple[str, Any]]:
    counts = st.sampled_from([*NUMBERS, "", None, [], {}, "-1", "3.5"])
    return st.one_of(
        st.tuples(st.just("held_at"), st.sampled_from(HELD) | st.sampled_from(DATES)),
        st.tuples(st.just("attendees"), st.sampled_from(ATTENDEES)),
        st.tuples(st.sampled_from(["present", "yes", "no", "abstain", "due"]), counts),
        st.tuples(st.just("minutes"), st.sampled_from(STRINGS)),
        st.tuples(st.sampled_from(["roll", "\x00", "extra", "held_on"]), scalars()),
    )


def table_shapes() -> st.SearchStrategy[Any]:
    return st.sampled_from([
        "rows", [1, 2], [[]], [None], [{"unknown": 1}], [{}], [{"\x00": "a"}],
        [{}] * 2001, Raw("[" + ",".join(["{}"] * 5000) + "]"), [[{"a": 1}]], {"0": {}},
    ])


def mutations(action: dict[str, Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    """(field, how, what): one field replaced, one table cell, one meeting part, or a field
    the action does not have."""
    options: list[st.SearchStrategy[tuple[Any, ...]]] = [
        st.tuples(st.sampled_from(["nonexistent", "\x00", "", "x" * 300, "__proto__"]),
                  st.just("unknown"), scalars())]
    fields = [f for f in action["fields"] if f["type"] != "file"]
    if fields:
        options.append(st.tuples(st.sampled_from([f["name"] for f in fields]),
                                 st.just("value"), scalars()))
    tables = [f for f in fields if f["type"] == "table"]
    for table in tables:
        columns = [c["name"] for c in table["columns"]]
        options.append(st.tuples(st.just(table["name"]), st.just("shape"), table_shapes()))
        options.append(st.tuples(st.just(table["name"]), st.sampled_from(columns),
                                 scalars()))
    for meeting in (f for f in fields if f["type"] == "meeting"):
        options.append(st.tuples(st.just(meeting["name"]), st.just("part"), meeting_parts()))
    return st.one_of(*options)


def mutate(values: dict[str, Any], mutation: tuple[Any, ...]) -> dict[str, Any]:
    name, how, what = mutation
    out = dict(values)
    if how in ("unknown", "value", "shape"):
        out[name] = what
    elif how == "part":
        part, value = what
        meeting = dict(out.get(name) or {})
        meeting[part] = value
        out[name] = meeting
    else:  # a cell of the table's first row
        rows = [dict(r) for r in out.get(name) or [{}]]
        rows[0][how] = what
        out[name] = rows
    return out


# --- what must not change ------------------------------------------------------------------


def snapshot(case_id: int) -> tuple[Any, ...]:
    row = Case.objects.get(pk=case_id)
    return (row.state, row.current_step, row.outcome, row.updated_at,
            CaseEvent.objects.filter(case_id=case_id).count(),
            Attachment.objects.filter(case_id=case_id).count(),
            PublicityNotice.objects.filter(case_id=case_id).count(),
            Notification.objects.count())


def uploads(action: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The files the valid body ``base`` needs: required ones, and those whose
    ``required_if`` holds for it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = {}
    for field in action["fields"]:
        if field["type"] == "file" and SchemaClient.wanted(field, base):
            mime = next(m for m in (*FILES, *field["accept"]) if m in field["accept"])
            name, body = FILES[mime]
            out[field["name"]] = SimpleUploadedFile(name, body, content_type=mime)
    return out


def refused_alike(answer: Any, case_id: int, before: tuple[Any, ...], sent: Any,
                  named: bool = True) -> None:
    assert answer.status_code < 500, (answer.status_code, sent)
    assert answer["Content-Type"].startswith("application/json"), (answer.status_code, sent)
    body = json.loads(answer.content)
    if 200 <= answer.status_code < 300:
        return
    assert answer.status_code in (400, 413), (answer.status_code, body, sent)
    assert isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("detail"), str) and body["detail"], body
    # a refusal of the data names its field (a body that is no JSON at all has none)
    if answer.status_code == 400 and named and body["code"] != "parse_error":
        assert isinstance(body.get("field"), str), (body, sent)
    assert snapshot(case_id) == before, (body, sent)


def fuzz_api(case: CaseDriver, username: str, action: dict[str, Any],
             base: dict[str, Any]) -> None:
    client = case.client(username)
    url = f"/api/cases/{case.id}/actions/"
    with transaction.atomic():  # the valid body: when it is accepted, a refusal is the data's
        probe = case.post(username, action["code"], base, uploads(action, base))
        transaction.set_rollback(True)
    named = probe.status_code == 200

    @SETTINGS
    @given(mutation=mutations(action), multipart=st.booleans())
    def run(mutation: tuple[Any, ...], multipart: bool) -> None:
        sent = mutate(base, mutation)
        files = uploads(action, base)
        with transaction.atomic():
            before = snapshot(case.id)
            if files or multipart:
                answer = client.post(url, {"action": action["code"], "comment": "",
                                           "data": dumps(sent), **files}, format="multipart")
            else:
                body = '{"action":' + json.dumps(action["code"]) + ',"data":' + dumps(sent) + "}"
                answer = client.generic("POST", url, body.encode("utf-8", "surrogatepass"),
                                        content_type="application/json")
            refused_alike(answer, case.id, before, mutation, named)
            transaction.set_rollback(True)

    run()


# --- the same through the case page's form --------------------------------------------------


def form_inputs(action: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The valid values as the case page posts them (``workflows.web.forms.read_form``)."""
    out: dict[str, Any] = {"action": action["code"], "comment": ""}
    for field in action["fields"]:
        key, value = f"f_{field['name']}", values.get(field["name"])
        if value is None:
            continue
        t = field["type"]
        if t == "boolean":
            if value:
                out[key] = "on"
        elif t == "multichoice":
            out[key] = [str(v) for v in value]
        elif t == "table":
            out[key] = [f"r{i}" for i in range(len(value))]
            for i, row in enumerate(value):
                for column, cell in row.items():
                    out[f"{key}.r{i}.{column}"] = "on" if cell is True else str(cell)
        elif t == "meeting":
            out[f"{key}.held_at"] = value["held_at"]
            if "attendees" in value:
                out[f"{key}.named"] = "1"
                out[f"{key}.attendees"] = list(value["attendees"])
            else:
                out[f"{key}.present"] = str(value["present"])
            for part in ("yes", "no", "abstain", "minutes"):
                if part in value:
                    out[f"{key}.{part}"] = str(value[part])
        else:
            out[key] = str(value)
    return out


FORM_TEXTS = [t for t in (*DATES, *STRINGS, *[str(n) for n in NUMBERS if not isinstance(n, Raw)],
                          "1e999999", "NaN", "-1", "９", "\ud800")
              if isinstance(t, str)]


def form_mutations(inputs: dict[str, Any]) -> st.SearchStrategy[tuple[str, Any]]:
    keys = sorted(k for k in inputs if k.startswith("f_")) or ["f_nothing"]
    text = st.sampled_from(FORM_TEXTS) | st.text(max_size=20)
    return st.tuples(st.sampled_from([*keys, "f_nonexistent", "step"]),
                     text | st.lists(text, min_size=2, max_size=3))


def fuzz_form(case: CaseDriver, username: str, action: dict[str, Any],
              base: dict[str, Any]) -> None:
    web = Client()
    web.force_login(User.objects.get(username=username))
    inputs = form_inputs(action, base)
    url = f"/cases/{case.id}/act/"

    @FORM_SETTINGS
    @given(mutation=form_mutations(inputs))
    def run(mutation: tuple[str, Any]) -> None:
        key, value = mutation
        sent = {**inputs, key: value}
        if isinstance(value, str):
            sent[key] = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        with transaction.atomic():
            before = snapshot(case.id)
            files = {f"f_{k}": v for k, v in uploads(action, base).items()}
            answer = web.post(url, {**sent, **files})
            # a ``step`` that is not the open one: someone else moved the case (409)
            allowed = (200, 302, 400, 409) if key == "step" else (200, 302, 400)
            assert answer.status_code in allowed, (answer.status_code, mutation)
            if answer.status_code != 302:
                assert snapshot(case.id) == before, mutation
                if answer.status_code == 400:
                    assert "text/html" in answer["Content-Type"]
            transaction.set_rollback(True)

    run()


# --- every step of every procedure ---------------------------------------------------------


def fuzz_walk(code: str, clock: Any, max_actions: int = 40) -> int:
    """Walk ``code`` by the schema; fuzz every action offered at every step on the way."""
    spec = registry.get(code)
    assert spec is not None
    case = open_case(code, "dc_th", title=f"{spec.name}(坏数据)")
    fuzzed = 0
    seen: set[str] = set()
    for _ in range(max_actions):
        if case.closed:
            break
        found = forward(case)
        if found is None:
            break
        username, action = found
        values, files = SchemaClient(case, username).build(action, timezone.localtime())
        with transaction.atomic():  # too early (a window open)? fuzz once it is over
            probe = case.post(username, action["code"], values, files)
            transaction.set_rollback(True)
        if probe.status_code == 400 and probe.json().get("not_before"):
            case.past_window(clock, probe.json())
        actions = [a for a in case.actions(username) if a["kind"] in ("forward", "side")]
        for offered in actions:
            key = f"{case.step}:{offered['code']}"
            if key in seen:
                continue
            seen.add(key)
            base, _files = SchemaClient(case, username).build(offered, timezone.localtime())
            fuzz_api(case, username, offered, base)
            fuzz_form(case, username, offered, base)
            fuzzed += 1
        values, files = SchemaClient(case, username).build(action, timezone.localtime())
        answer = case.post(username, action["code"], values, files)
        if answer.status_code != 200:
            break  # a step the schema alone cannot pass (test_schema_client names it)
        case.case = answer.json()
    return fuzzed


@pytest.mark.parametrize("code", [s.code for s in registry.all()])
def test_no_bad_value_of_any_field_reaches_a_server_error(code: str, clock: Any) -> None:
    assert fuzz_walk(code, clock) > 0


# --- bodies and queries ----------------------------------------------------------------------


@pytest.fixture
def some_case(clock: Any) -> CaseDriver:
    return open_case("04.2", "dc_th", by="dc_th_committee_member")


def test_a_body_nested_100k_deep_is_a_400(some_case: CaseDriver) -> None:
    client = some_case.client("dc_th_committee_member")
    for url in (f"/api/cases/{some_case.id}/actions/", "/api/cases/", "/api/token/"):
        for body in ('{"action":"apply","data":' + "[" * 100_000 + "]" * 100_000 + "}",
                     "{\"a\":" * 100_000 + "1" + "}" * 100_000):
            before = snapshot(some_case.id)
            answer = client.generic("POST", url, body, content_type="application/json")
            assert answer.status_code == 400, (url, answer.status_code)
            assert set(answer.json()) >= {"code", "detail"}, answer.content[:200]
            assert snapshot(some_case.id) == before


def test_a_body_over_the_limit_is_a_413_in_json(some_case: CaseDriver, settings: Any) -> None:
    client = some_case.client("dc_th_committee_member")
    big = '{"action":"apply","data":{"purpose":"' + "x" * (6 * 1024 * 1024) + '"}}'
    for url in (f"/api/cases/{some_case.id}/actions/", "/api/cases/", "/api/token/"):
        before = snapshot(some_case.id)
        answer = client.generic("POST", url, big, content_type="application/json")
        assert answer.status_code == 413, (url, answer.status_code)
        assert answer["Content-Type"].startswith("application/json")
        assert set(answer.json()) >= {"code", "detail"}
        assert snapshot(some_case.id) == before
    answer = client.post(f"/api/cases/{some_case.id}/actions/",
                         {"action": "apply", "data": "{}", "comment": "x" * (6 * 1024 * 1024)},
                         format="multipart")
    assert answer.status_code == 413, answer.status_code
    assert answer.json()["code"]


def test_broken_json_and_wrong_types_of_the_envelope_are_400(some_case: CaseDriver) -> None:
    client = some_case.client("dc_th_committee_member")
    url = f"/api/cases/{some_case.id}/actions/"
    for body in ("", "{", "[]", "null", "1", '"x"', '{"action": null}', '{"action": ["apply"]}',
                 '{"action": "apply", "data": []}', '{"action": "apply", "data": "x"}',
                 '{"action": "apply", "comment": {}}', '{"action": "apply", "step": 5}',
                 '{"action": "\\u0000"}', '{"action": "apply", "data": NaN}',
                 '{"action": "apply", "data": {"copies": 1e999999}}',
                 '{"action": "' + "x" * 100_000 + '"}', '{"action": "\\ud800"}',
                 '{"action": "apply", "data": {"copies": ' + "9" * 5000 + "}}"):
        before = snapshot(some_case.id)
        answer = client.generic("POST", url, body.encode(), content_type="application/json")
        assert answer.status_code == 400, (body[:60], answer.status_code, answer.content[:200])
        assert set(answer.json()) >= {"code", "detail"}
        assert snapshot(some_case.id) == before
    for body in ('{"procedure": "04.2", "region": 1e999999, "title": "x"}',
                 '{"procedure": "04.2", "region": "' + "9" * 5000 + '", "title": "x"}',
                 '{"procedure": "\\u0000", "region": 1, "title": "x"}',
                 '{"procedure": "04.2", "region": 1, "title": "a\\u0000b"}',
                 '{"procedure": [], "region": {}, "title": []}'):
        answer = client.generic("POST", "/api/cases/", body.encode(),
                                content_type="application/json")
        assert answer.status_code == 400, (body[:60], answer.status_code, answer.content[:200])
        assert set(answer.json()) >= {"code", "detail"}


QUERIES = ["\x00", "a\x00b", "%00", "\ud800", "x" * 10_000, "'", "\\", "%", "_", "1e999999"]


@pytest.mark.parametrize("q", QUERIES)
def test_a_query_with_nul_or_junk_on_list_endpoints_and_pages(
        q: str, some_case: CaseDriver, web: Callable[[str | None], Client]) -> None:
    client = some_case.client("dc_th_committee_member")
    q = q.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    for url in ("/api/cases/", "/api/notifications/"):
        for name in ("q", "procedure", "state", "region", "overdue", "page", "page_size"):
            answer = client.get(url, {name: q})
            assert answer.status_code in (200, 400, 404), (url, name, answer.status_code)
            assert answer["Content-Type"].startswith("application/json")
    browser = web("dc_th_committee_member")
    for url in ("/cases/", "/review/", "/notifications/", "/procedures/"):
        for name in ("q", "procedure", "state", "region", "from", "to", "page"):
            answer = browser.get(url, {name: q})
            assert answer.status_code in (200, 400, 404), (url, name, answer.status_code)
    for roster in _roster_pages(some_case.row.region_id):
        answer = browser.get(roster, {"q": q, "page": q, "day": q})
        assert answer.status_code in (200, 400, 404), (roster, answer.status_code)


def _roster_pages(region: int) -> list[str]:
    from django.urls import reverse

    from workflows.rosters import all_rosters

    return [reverse("workflows:roster_page", args=[spec.code, region]) for spec in all_rosters()]
