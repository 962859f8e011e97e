"""Driving 03.2 (村规民约) through the API with clients that survive clock jumps."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.test import APIClient

from core.models import User
from decisions.procedures import GUIDANCE_FIELDS, REQUIRED_GUIDANCE
from tests.samples import upload_pdf, upload_png


def client(username: str) -> APIClient:
    c = APIClient()
    c.force_authenticate(User.objects.get(username=username))
    return c


def act(c: APIClient, case_id: int, action: str, data: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None, comment: str = "") -> Any:
    url = f"/api/cases/{case_id}/actions/"
    if files:
        return c.post(url, {"action": action, "data": json.dumps(data or {}),
                            "comment": comment, **files}, format="multipart")
    return c.post(url, {"action": action, "data": data or {}, "comment": comment},
                  format="json")


def m(due: int, present: int, yes: int, no: int = 0) -> dict[str, int]:
    return {"due": due, "present": present, "yes": yes, "no": no, "abstain": 0}


def minutes() -> dict[str, Any]:
    return {"minutes": upload_pdf("会议记录.pdf")}


def guidance(*, skip: str | None = None) -> dict[str, bool]:
    return {fs.name: fs.name != f"guide_{skip}" for fs in GUIDANCE_FIELDS
            if fs.name in {f"guide_{g.value}" for g in REQUIRED_GUIDANCE}}


def open_rules(village_id: int, title: str = "修订村规民约", prefix: str = "dc_th") -> int:
    sec = client(f"{prefix}_branch_secretary")
    r = sec.post("/api/cases/", {"procedure": "03.2", "region": village_id, "title": title},
                 format="json")
    assert r.status_code == 201, r.content
    return int(r.json()["id"])


def to_villagers(case_id: int, prefix: str = "dc_th") -> None:
    sec = client(f"{prefix}_branch_secretary")
    r = act(sec, case_id, "propose", {"rules_draft": "第一条 红白喜事从简", "consultation":
                                      "召开座谈会3次,走访农户50户", **guidance(),
                                      "meeting": m(5, 5, 5)}, minutes())
    assert r.status_code == 200, r.content
    r = act(sec, case_id, "deliberate", {"meeting": m(7, 6, 5, 1), "opinion": "同意提交"},
            minutes())
    assert r.status_code == 200, r.content
    r = act(sec, case_id, "review", {"members_informed": True, "meeting": m(30, 25, 25),
                                     "revised_draft": "第一条 红白喜事从简,彩礼不超过3万元"},
            minutes())
    assert r.status_code == 200, r.content


def decide(case_id: int, text: str, adopted_on: str, prefix: str = "dc_th",
           meeting: dict[str, int] | None = None) -> Any:
    return act(client(f"{prefix}_committee_director"), case_id, "decide",
               {"body": "representatives", "meeting": meeting or m(45, 40, 38, 2),
                "adopted_on": adopted_on, "rules_text": text}, minutes())


def end_publicity(case_id: int, prefix: str = "dc_th") -> Any:
    return act(client(f"{prefix}_committee_director"), case_id, "publicity_done",
               {"location": "村务公开栏"}, {"photo": upload_png()})


def township_approve(case_id: int, township: str = "dc") -> Any:
    return act(client(f"{township}_township_government"), case_id, "approve",
               {"lawful": True, "opinion": "符合法律法规,同意备案"})


def file_rules(case_id: int, filed_on: str, number: str = "民备〔2026〕1号") -> Any:
    return act(client("sfq_district_civil_affairs"), case_id, "file",
               {"filed_on": filed_on, "filing_number": number})
