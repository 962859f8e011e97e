"""05.1 and 05.2 step by step in 桃花村: the nominees and staff of the tests, what each step
records, and which township body records it."""

from __future__ import annotations

from typing import Any

from tests.decisions.rules_helpers import minutes
from tests.driver import CaseDriver, open_case
from tests.driver import meeting as m
from tests.samples import upload_pdf

SEC, DIRECTOR = "dc_th_branch_secretary", "dc_th_committee_director"
LI = "330299198503150023"
ZHANG = "330299199007200030"
WANG = "330299198001010012"
ZHAO = "330299197511110043"
People = list[dict[str, str]]


def people(*rows: tuple[str, str, str]) -> People:
    """The rows of a table of people (姓名, 身份证号码, and the post or 拟任职务)."""
    return [{"name": name, "id_number": number, "post": post} for name, number, post in rows]


def posts(*rows: tuple[str, int, str, int]) -> list[dict[str, Any]]:
    """The rows of the posts the two committees decide (岗位, 人数, 月报酬, 期限)."""
    return [{"post": post, "count": count, "monthly_pay": pay, "term_months": months}
            for post, count, pay, months in rows]


def not_passed(*numbers: str) -> list[dict[str, str]]:
    """The rows of those who did not pass the joint vetting, by ID number."""
    return [{"id_number": number} for number in numbers]


NOMINEES = people(("李秀英", LI, "妇联主席"), ("张晓红", ZHANG, "妇联执委"))
TOWNSHIP_ROLES = {"women_review": "township_women", "women_party": "township_party",
                  "women_report": "township_women", "women_approve": "township_party",
                  "militia_review": "township_armed", "militia_approve": "township_party",
                  "league_review": "township_league", "league_party": "township_party",
                  "league_report": "township_league", "league_approve": "township_party"}


def open_appointment(demo: dict[str, Any], procedure: str = "05.1", opener: str = SEC
                     ) -> CaseDriver:
    return open_case(procedure, demo["dc_th"], opener, title="人员任用")


def propose(case: CaseDriver, track: str = "women", nominees: People = NOMINEES,
            meeting: Any = None) -> Any:
    return case.post(SEC, "propose", {"track": track, "nominees": nominees,
                                      "meeting": meeting or m(3, 3, 2, 1)}, minutes())


def advance(case: CaseDriver) -> Any:
    """Do the current township or village step of a track with its usual way forward."""
    step = case.detail(SEC)["current_step"]
    if step in TOWNSHIP_ROLES:
        body = f"dc_{TOWNSHIP_ROLES[step]}"
        if step.endswith("_report"):
            return case.post(body, "receive", {"received_on": "2026-11-02"})
        return case.post(body, "approve", {"opinion": "同意"})
    return case.post(SEC, "elect", {"meeting": m()}, minutes())  # every delegate, all for


VETTING = ("vetting", "women_vetting", "militia_vetting", "league_vetting")


def to_vetting(case: CaseDriver) -> None:
    """05.1 is vetted right after the nomination (先审后选); 05.2 after the staff are chosen."""
    for _ in range(8):
        if case.detail(SEC)["current_step"] in VETTING:
            return
        r = advance(case)
        assert r.status_code == 200, r.content
    raise AssertionError("vetting not reached")


def vet(case: CaseDriver, action: str = "pass", excluded: list[dict[str, str]] | None = None,
        vetted_on: str = "2026-11-02") -> Any:
    data: dict[str, Any] = {"vetted_on": vetted_on,
                            "departments": ["discipline", "police", "petitions"],
                            "opinion": "经联审,无不良记录"}
    if action == "pass":
        data["excluded"] = excluded or []
    return case.post("dc_township_discipline", action, data, {"form": upload_pdf("联审表.pdf")})
