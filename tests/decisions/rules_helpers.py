"""03.2 (村规民约) step by step: what each step records, as the demo users of a village do it."""

from __future__ import annotations

from typing import Any

from decisions.procedures import GUIDANCE_FIELDS, REQUIRED_GUIDANCE
from tests.driver import CaseDriver, open_case
from tests.driver import meeting as m
from tests.samples import upload_pdf, upload_png


def minutes() -> dict[str, Any]:
    return {"minutes": upload_pdf("会议记录.pdf")}


def guidance(*, skip: str | None = None) -> dict[str, bool]:
    return {fs.name: fs.name != f"guide_{skip}" for fs in GUIDANCE_FIELDS
            if fs.name in {f"guide_{g.value}" for g in REQUIRED_GUIDANCE}}


def open_rules(village_id: int, title: str = "修订村规民约", prefix: str = "dc_th"
               ) -> CaseDriver:
    return open_case("03.2", village_id, f"{prefix}_branch_secretary", title=title)


def to_villagers(case: CaseDriver, prefix: str = "dc_th") -> None:
    sec = f"{prefix}_branch_secretary"
    for action, data in (
        ("propose", {"rules_draft": "第一条 红白喜事从简",
                     "consultation": "召开座谈会3次,走访农户50户", **guidance(),
                     "meeting": m(5, 5, 5)}),
        ("deliberate", {"meeting": m(7, 6, 5, 1), "opinion": "同意提交"}),
        ("review", {"members_informed": True, "meeting": m(30, 25, 25),
                    "revised_draft": "第一条 红白喜事从简,彩礼不超过3万元"}),
    ):
        r = case.post(sec, action, data, minutes())
        assert r.status_code == 200, r.content


def decide(case: CaseDriver, text: str, adopted_on: str, prefix: str = "dc_th",
           meeting: dict[str, int] | None = None) -> Any:
    return case.post(f"{prefix}_committee_director", "decide",
                     {"body": "representatives", "meeting": meeting or m(45, 40, 38, 2),
                      "adopted_on": adopted_on, "rules_text": text}, minutes())


def end_publicity(case: CaseDriver, prefix: str = "dc_th") -> Any:
    return case.post(f"{prefix}_committee_director", "publicity_done",
                     {"location": "村务公开栏"}, {"photo": upload_png()})


def township_approve(case: CaseDriver, township: str = "dc") -> Any:
    return case.post(f"{township}_township_government", "approve",
                     {"lawful": True, "opinion": "符合法律法规,同意备案"})


def file_rules(case: CaseDriver, filed_on: str, number: str = "民备〔2026〕1号") -> Any:
    return case.post("sfq_district_civil_affairs", "file",
                     {"filed_on": filed_on, "filing_number": number})
