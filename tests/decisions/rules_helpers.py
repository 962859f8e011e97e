"""03.2 (村规民约) step by step: what each step records, as the demo users of a village do it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from decisions.procedures import GUIDANCE_FIELDS, REQUIRED_GUIDANCE
from tests.driver import CaseDriver, open_case
from tests.driver import meeting as m
from tests.samples import Attend, upload_pdf, upload_png


def minutes() -> dict[str, Any]:
    return {"minutes": upload_pdf("会议记录.pdf")}


def guidance(*, skip: str | None = None) -> dict[str, bool]:
    return {fs.name: fs.name != f"guide_{skip}" for fs in GUIDANCE_FIELDS
            if fs.name in {f"guide_{g.value}" for g in REQUIRED_GUIDANCE}}


def open_rules(village_id: int, title: str = "修订村规民约", prefix: str = "dc_th"
               ) -> CaseDriver:
    return open_case("03.2", village_id, f"{prefix}_branch_secretary", title=title)


def to_township(case: CaseDriver, prefix: str = "dc_th") -> None:
    """征集民意 and the branch's proposal, the two committees' draft: the draft goes to the
    township for its check."""
    sec = f"{prefix}_branch_secretary"
    for action, data in (
        ("propose", {"rules_draft": "第一条 红白喜事从简",
                     "consultation": "召开座谈会3次,走访农户50户", **guidance(),
                     "meeting": m(3, 3, 3)}),  # the branch committee: 3
        ("deliberate", {"meeting": m(5, 4, 3, 1), "opinion": "同意提交"}),  # two committees: 5
    ):
        r = case.post(sec, action, data, minutes())
        assert r.status_code == 200, r.content


def to_villagers(case: CaseDriver, prefix: str = "dc_th", township: str = "dc") -> None:
    """Up to the vote: the draft, the township's check, the party members' review."""
    to_township(case, prefix)
    r = township_approve(case, township)
    assert r.status_code == 200, r.content
    r = case.post(f"{prefix}_branch_secretary", "review",
                  {"members_informed": True, "meeting": m(7, 7, 7),  # 7 full members
                   "revised_draft": "第一条 红白喜事从简,彩礼不超过3万元"}, minutes())
    assert r.status_code == 200, r.content


def decide(case: CaseDriver, text: str, adopted_on: str, prefix: str = "dc_th",
           meeting: Attend | None = None) -> Any:
    """The representatives' vote, held on ``adopted_on`` (the rules are adopted that day):
    every representative of the day present and for, unless ``meeting`` says otherwise."""
    chosen = meeting or m()
    if chosen.held_at is None:
        chosen = replace(chosen, held_at=adopted_on)
    return case.post(f"{prefix}_committee_director", "decide",
                     {"body": "representatives", "meeting": chosen, "rules_text": text},
                     minutes())


def end_publicity(case: CaseDriver, prefix: str = "dc_th") -> Any:
    """The notice of the filed rules taken down after its window (公告期满,公布施行)."""
    return case.post(f"{prefix}_committee_director", "publicity_done",
                     {"location": "村务公开栏"}, {"photo": upload_png()})


def township_approve(case: CaseDriver, township: str = "dc") -> Any:
    return case.post(f"{township}_township_government", "approve",
                     {"lawful": True, "opinion": "符合法律法规,同意备案"})


def file_rules(case: CaseDriver, filed_on: str, number: str = "民备〔2026〕1号") -> Any:
    return case.post("sfq_district_civil_affairs", "file",
                     {"filed_on": filed_on, "filing_number": number})
