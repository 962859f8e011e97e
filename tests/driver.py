"""The one case driver of the tests: open a case as a named demo user, act on it with
sample data for every field not given, move the clock past what holds it, walk it to its end.

    case = open_case("04.2", "dc_th", by="dc_th_committee_member")     # through the API
    case.do("dc_th_committee_member", "apply", copies=2)   # the other fields: samples
    case.refused("dc_th_committee_director", "copies_exceeded", "approve")
    case.post("dc_th_seal_keeper", "stamp", {"copies_stamped": 9})    # exactly this body
    case = open_case("04.2", "dc_th", via="gate")         # the same, through workflows.gate
    walk("03.1", "dc_th", clock=clock, choose=WALK["03.1"])   # every step, to the end

Users are demo usernames (``<place>_<role>``, see tests/README.md); a village is a Region
or a place slug (``dc_th``). Sample values come from the field schema the API describes
(``tests.samples.sample_data``), so a case moves the way a client following the schema
would move it. Answers through the gate look like the API's: ``status_code`` and ``json()``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from core.errors import RuleError
from core.models import Membership, Region, User
from portal.demo import PLACES
from tests.samples import Attend, sample_data
from workflows import gate
from workflows.acting import acting_region_id
from workflows.models import Alert
from workflows.models import Case as CaseRow
from workflows.registry import registry
from workflows.serializers import actions_json, case_detail_json

START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-02 10:00 in Shanghai
API, GATE = "api", "gate"
Clients = Callable[[str], Any]


def place(where: Region | str | int) -> Region:
    """A demo region by its slug (``sfq``, ``dc``, ``dc_th``, ``dc_yl``, ``xh``, ``xh_qq``,
    ``xh_sq``) or its id, or the region itself."""
    if isinstance(where, Region):
        return where
    if isinstance(where, int):
        return Region.objects.get(pk=where)
    return Region.objects.get(code=next(p.code for p in PLACES if p.slug == where))


def person(username: str) -> User:
    """A demo user, read afresh (so that memberships changed by the test count)."""
    return User.objects.get(username=username)


class AsUser(APIClient):
    """An API client acting as a named user: the user is read again for every request (as a
    token would be), and there is no token to expire when a test moves the clock."""

    def __init__(self, username: str, **defaults: Any) -> None:
        super().__init__(**defaults)
        self.username = username

    def request(self, **kwargs: Any) -> Any:
        self.force_authenticate(person(self.username))
        return super().request(**kwargs)


def as_user(username: str) -> AsUser:
    return AsUser(username)


def meeting(due: int | None = None, present: int | None = None, yes: int | None = None,
            no: int = 0, abstain: int = 0, **more: Any) -> Attend:
    """A meeting field filled from its roll when the action is sent (``tests.samples.Attend``):
    ``present`` of the roll's voters ticked, the votes; ``due``, when given, is sent too and
    must be the roll's (the portal computes it: ``roll_mismatch`` otherwise)."""
    return Attend(present=present, yes=yes, no=no, abstain=abstain, due=due, **more)


def opener(procedure: str, village: Region | str | int) -> str:
    """The first demo user (by username) who holds a role of the procedure's first step
    where that step is done for ``village``."""
    spec = registry.get(procedure)
    assert spec is not None, procedure
    first = spec.first_step
    name = (Membership.objects.active()
            .filter(region_id=acting_region_id(place(village), first.level),
                    role__in=[str(r) for r in first.roles])
            .order_by("user__username").values_list("user__username", flat=True).first())
    assert name, f"{procedure}: no demo user may open it"
    return name


class GateAnswer:
    """What the gate answered, shaped as the API's response: 200 with the case (its detail
    as the actor sees it, built when asked for) or the refusal's status and body."""

    def __init__(self, actor: User, row: CaseRow | None = None,
                 refusal: RuleError | None = None) -> None:
        self.actor, self.row, self.refusal = actor, row, refusal
        self.status_code = refusal.http_status if refusal else 200

    @cached_property
    def body(self) -> dict[str, Any]:
        if self.refusal is not None:
            return self.refusal.as_body()
        assert self.row is not None
        return case_detail_json(self.actor, CaseRow.objects.get(pk=self.row.pk))

    def json(self) -> dict[str, Any]:
        return self.body

    @property
    def content(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode()


class CaseDriver:
    """One case, acted on by named demo users through the API (``via="api"``) or the gate.

    ``do`` and ``try_`` take the first forward action the user is offered unless one is
    named, and send sample data for every field not given (an upload given as a value is
    sent as that field's file; ``None`` leaves a field out); with ``samples=False`` exactly
    the given data is sent, offered or not. ``post`` sends a body as it is and answers the
    raw response. ``case`` is the case as last answered (the API's detail JSON).
    """

    def __init__(self, case_id: int, *, via: str = API, clients: Clients | None = None,
                 answer: Any = None) -> None:
        assert via in (API, GATE), via
        self.id = int(case_id)
        self.via = via
        self._factory = clients or as_user
        self._clients: dict[str, Any] = {}
        self._answer = answer

    # --- the case as it stands ----------------------------------------------------------------

    @property
    def case(self) -> dict[str, Any]:
        if self._answer is None:
            self._answer = self._detail_answer()
        return dict(self._answer.json())

    @case.setter
    def case(self, value: dict[str, Any]) -> None:
        self._answer = _Json(value)

    @property
    def row(self) -> CaseRow:
        return CaseRow.objects.get(pk=self.id)

    @property
    def step(self) -> str:
        answer = self._answer
        if isinstance(answer, GateAnswer) and answer.row is not None:
            return answer.row.current_step
        return str(self.case["current_step"])

    @property
    def closed(self) -> bool:
        answer = self._answer
        if isinstance(answer, GateAnswer) and answer.row is not None:
            return answer.row.state != "open"
        return bool(self.case["closed"])

    def _detail_answer(self) -> Any:
        if self.via == GATE:
            row = self.row
            return GateAnswer(row.opened_by, row)
        assert self._last_user, "nobody has acted on this case yet: ask detail(username)"
        return self.client(self._last_user).get(f"/api/cases/{self.id}/")

    _last_user: str | None = None

    # --- who acts -----------------------------------------------------------------------------

    def client(self, username: str) -> Any:
        """The API client of ``username`` (kept while the driver lives)."""
        if username not in self._clients:
            self._clients[username] = self._factory(username)
        return self._clients[username]

    def fresh(self) -> None:
        """Forget the clients: a token client's token expires when the clock jumps ahead."""
        self._clients.clear()

    def detail(self, username: str) -> dict[str, Any]:
        """The case as ``username`` sees it now (their actions included)."""
        if self.via == GATE:
            return case_detail_json(person(username), self.row)
        response = self.client(username).get(f"/api/cases/{self.id}/")
        assert response.status_code == 200, (username, response.status_code)
        return dict(response.json())

    def actions(self, username: str) -> list[dict[str, Any]]:
        """The actions ``username`` is offered, each with its fields as the API describes."""
        if self.via == GATE:
            return actions_json(person(username), self.row)
        return list(self.detail(username)["actions"])

    def offers(self, username: str) -> list[str]:
        return [a["code"] for a in self.actions(username)]

    def candidates(self) -> list[str]:
        """Demo usernames that hold one of the open task's roles where the task is."""
        task = self.case["tasks"][0]
        return list(Membership.objects.active()
                    .filter(region_id=task["region"], role__in=task["roles"])
                    .order_by("user__username").values_list("user__username", flat=True))

    # --- acting -------------------------------------------------------------------------------

    def post(self, username: str, action: str, data: Mapping[str, Any] | None = None,
             files: Mapping[str, Any] | None = None, comment: str = "",
             step: str | None = None) -> Any:
        """Send exactly this action and body (offered or not); the raw answer. A meeting
        given as ``meeting(...)`` (``Attend``) is filled from the roll of the action's field."""
        if data and any(isinstance(v, Attend) for v in data.values()):
            data = self._fill_meetings(username, action, data)
        self._last_user = username
        if self.via == GATE:
            actor = person(username)
            try:
                row = gate.dispatch(actor=actor, case_id=self.id, action=action,
                                    data=dict(data or {}), files=dict(files or {}),
                                    comment=comment, expected_step=step)
            except RuleError as refusal:
                return GateAnswer(actor, refusal=refusal)
            return GateAnswer(actor, row)
        body: dict[str, Any] = {"action": action, "data": dict(data or {}), "comment": comment}
        if step is not None:
            body["step"] = step
        url = f"/api/cases/{self.id}/actions/"
        if files:
            return self.client(username).post(
                url, {**body, "data": json.dumps(body["data"]), **files}, format="multipart")
        return self.client(username).post(url, body, format="json")

    def _fill_meetings(self, username: str, action: str, data: Mapping[str, Any]
                       ) -> dict[str, Any]:
        fields = next((a["fields"] for a in self.actions(username) if a["code"] == action), [])
        by_name = {f["name"]: f for f in fields}
        out = {k: v for k, v in data.items() if not isinstance(v, Attend)}
        for name, value in data.items():
            if isinstance(value, Attend):  # not offered: sent as figures, for the refusal
                out[name] = (value.fill(by_name[name], out) if name in by_name else
                             {k: v for k, v in vars(value).items() if v is not None})
        return out

    def try_(self, username: str, action: str | None = None, *, samples: bool = True,
             comment: str = "同意", **data: Any) -> Any:
        """The answer to the action (the first forward one unless named) with sample data for
        the fields not given; None when ``username`` is not offered it."""
        if not samples:
            assert action is not None, "name the action to send without samples"
            values, files = _split(data)
            return self.post(username, action, values, files, comment)
        offered = [a for a in self.actions(username)
                   if (a["code"] == action if action else a["kind"] == "forward")]
        if not offered:
            return None
        values, files = sample_data(offered[0]["fields"], data)
        return self.post(username, offered[0]["code"], values, files, comment)

    def do(self, username: str, action: str | None = None, *, samples: bool = True,
           comment: str = "同意", **data: Any) -> dict[str, Any]:
        """Do the action and insist that it is accepted; the case as answered."""
        answer = self.try_(username, action, samples=samples, comment=comment, **data)
        assert answer is not None, (username, action, self.step, self.offers(username))
        assert answer.status_code == 200, (username, action, answer.content.decode())
        self._answer = answer
        return self.case

    def refused(self, username: str, code: str, action: str | None = None, *,
                samples: bool = True, comment: str = "同意", **data: Any) -> dict[str, Any]:
        """Try the action and insist on a refusal with ``code``: 403 for ``permission_denied``,
        400 for any other; its body."""
        answer = self.try_(username, action, samples=samples, comment=comment, **data)
        assert answer is not None, (username, action, self.step, self.offers(username))
        status = 403 if code == "permission_denied" else 400
        assert answer.status_code == status, (username, action, answer.status_code,
                                              answer.content.decode())
        body = dict(answer.json())
        assert body["code"] == code, body
        return body

    def alerts(self, kind: str | None = None) -> list[str]:
        """The messages of the case's risk alerts (of ``kind``), oldest first."""
        rows = Alert.objects.filter(case_id=self.id).order_by("pk")
        if kind:
            rows = rows.filter(kind=kind)
        return list(rows.values_list("message", flat=True))

    # --- time ---------------------------------------------------------------------------------

    def past_window(self, clock: Any, refusal: Mapping[str, Any] | None = None, *,
                    by: dt.timedelta = dt.timedelta(minutes=1)) -> dt.datetime:
        """Move the clock just past what holds the case: a refusal's ``not_before``, else the
        running notice's earliest end. The clients are renewed (tokens expire)."""
        if refusal is not None:
            until = refusal["not_before"]
        else:
            running = [n for n in self.case["publicity"] if n.get("state") == "running"]
            assert running, "no window runs on this case"
            until = running[-1]["earliest_end"]
        moment = parse_datetime(until)
        assert moment is not None, until
        clock.move_to(moment + by)
        self.fresh()
        return moment + by

    # --- to the end ---------------------------------------------------------------------------

    def walk(self, *, clock: Any, choose: Mapping[str, Mapping[str, Any]] | None = None,
             max_steps: int = 60) -> dict[str, Any]:
        """Every step the usual way forward (the first forward action of the first demo user
        who holds the step), ``choose[step]`` given, sample data for the rest; the clock
        moved past each window and minimum wait. The closed case."""
        for _ in range(max_steps):
            if self.closed:
                return self.case
            for username in self.candidates():
                step = self.step
                answer = self.try_(username, **(choose or {}).get(step, {}))
                if answer is None:
                    continue
                if answer.status_code == 400 and answer.json().get("not_before"):
                    self.past_window(clock, answer.json())
                    answer = self.try_(username, **(choose or {}).get(step, {}))
                assert answer.status_code == 200, (self.case["procedure"], step,
                                                   answer.content.decode())
                self._answer = answer
                break
            else:
                raise AssertionError(f"{self.case['procedure']}: nobody can move step "
                                     f"{self.step}")
        raise AssertionError(f"{self.case['procedure']}: not closed after {max_steps} actions")


class _Json:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def json(self) -> dict[str, Any]:
        return self.body


def _split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Values and uploads of a body given as keywords."""
    values = {k: v for k, v in data.items() if not isinstance(v, UploadedFile)}
    files = {k: v for k, v in data.items() if isinstance(v, UploadedFile)}
    return values, files


def open_case(procedure: str, village: Region | str | int, by: str | None = None, *,
              title: str = "演示", via: str = API, clients: Clients | None = None) -> CaseDriver:
    """Open a case of ``procedure`` in ``village`` as ``by`` (default: ``opener``), through
    the API (201 insisted on) or the gate."""
    region = place(village)
    by = by or opener(procedure, region)
    if via == GATE:
        row = gate.open_case(actor=person(by), procedure=procedure, region=region, title=title)
        return CaseDriver(row.pk, via=GATE, clients=clients, answer=GateAnswer(person(by), row))
    driver = CaseDriver(0, via=API, clients=clients)
    response = driver.client(by).post("/api/cases/", {"procedure": procedure,
                                                      "region": region.pk, "title": title},
                                      format="json")
    assert response.status_code == 201, response.content
    driver.id = int(response.json()["id"])
    driver._answer = response
    driver._last_user = by
    return driver


def drive(case_id: int, *, via: str = API, clients: Clients | None = None) -> CaseDriver:
    """A driver of a case that is already open."""
    return CaseDriver(case_id, via=via, clients=clients)


DOMAINS = ("portal", "workflows", "party", "decisions", "seals", "personnel", "subsidies",
           "safety")


def walk_data() -> dict[str, dict[str, dict[str, Any]]]:
    """Every domain's walk data, ``{procedure: {step: {field: value}}}``: what its rules need
    to go forward where a sample value would break one (``tests/<app>/walk_data.py``)."""
    merged: dict[str, dict[str, dict[str, Any]]] = {}
    for app in DOMAINS:
        try:
            module = importlib.import_module(f"tests.{app}.walk_data")
        except ModuleNotFoundError:
            continue
        merged.update(module.WALK)
    return merged


def walk(procedure: str, village: Region | str, *, clock: Any,
         choose: Mapping[str, Mapping[str, Any]] | None = None,
         clients: Clients | None = None) -> dict[str, Any]:
    """Open a case of ``procedure`` in ``village`` as its ``opener`` and walk it to its end
    (``choose``: by default the domains' ``walk_data``)."""
    spec = registry.get(procedure)
    assert spec is not None, procedure
    case = open_case(procedure, village, title=f"{spec.name}(演示)", clients=clients)
    return case.walk(clock=clock, choose=walk_data().get(procedure) if choose is None
                     else choose)


__all__ = [
    "API",
    "GATE",
    "START",
    "AsUser",
    "CaseDriver",
    "GateAnswer",
    "as_user",
    "drive",
    "meeting",
    "open_case",
    "opener",
    "person",
    "place",
    "walk",
    "walk_data",
]
