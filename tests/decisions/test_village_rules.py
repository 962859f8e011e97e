"""03.2 村规民约: 征集民意 → 拟定草案 → 镇(街道)审核把关 → 审议表决 → 区民政局备案 → 公布,
and the versions of the rules."""

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from decisions.models import VillageRules
from decisions.procedures import MEMBERS_MEETING, REPRESENTATIVES_MEETING, VILLAGE_RULES
from tests.decisions.rules_helpers import (
    decide,
    end_publicity,
    file_rules,
    guidance,
    minutes,
    open_rules,
    to_township,
    to_villagers,
    township_approve,
)
from tests.driver import as_user
from tests.driver import meeting as m
from tests.exports import export, pdf_text, xlsx_cells

RULES_TEXT = "第一条 红白喜事从简,彩礼不超过3万元;第二条 赡养老人是子女的义务"


def filed_case(demo, clock, text=RULES_TEXT, filed_on="2026-11-02"):
    """Voted on 2026-11-02 and filed; the notice of the filed rules is up."""
    case = open_rules(demo["dc_th"].pk)
    to_villagers(case)
    assert decide(case, text, "2026-11-02").status_code == 200
    r = file_rules(case, filed_on)
    assert r.status_code == 200, r.content
    return case


def test_the_township_checks_the_draft_before_the_vote(demo, clock):
    """先审后决 (2018 guidance on 村规民约): the two committees' draft goes to the township; the
    party members' review and the villagers' vote wait for its check, and the filing and the
    notice come after the vote."""
    order = [s.code for s in VILLAGE_RULES.steps]
    assert order == ["propose", "deliberate", "township_check", "members_review",
                     "villagers_decide", "district_filing", "resolution_publicity", "publish"]
    case = open_rules(demo["dc_th"].pk)
    to_township(case)
    detail = case.detail("dc_th_branch_secretary")
    assert detail["current_step"] == "township_check"
    assert detail["tasks"][0]["region"] == demo["dc"].pk
    r = case.post("dc_th_branch_secretary", "review",
                  {"members_informed": True, "meeting": m(7, 7, 7), "revised_draft": "草案"},
                  minutes())
    assert r.json()["code"] == "wrong_step"
    r = township_approve(case)
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "members_review"
    steps = next(p for p in as_user("dc_th_branch_secretary").get("/api/procedures/").json()
                 if p["code"] == "03.2")["steps"]
    assert [s["code"] for s in steps] == order


def test_the_spec_reuses_the_meeting_rules_of_four_and_two():
    members = VILLAGE_RULES.step("members_review").action("review")
    assert members.meeting is MEMBERS_MEETING
    decide_action = VILLAGE_RULES.step("villagers_decide").action("decide")
    assert decide_action.meeting_by.rules["representatives"] is REPRESENTATIVES_MEETING
    assert VILLAGE_RULES.guiding_units == ("区民政局",)
    assert VILLAGE_RULES.name == "重大事项“四议两公开”(村规民约)"


@pytest.mark.parametrize("skipped", ["customs", "domestic_violence", "elder_support",
                                     "women_rights", "penalties", "core_values"])
def test_drafter_must_confirm_every_item_of_the_content_guidance(demo, clock, skipped):
    case = open_rules(demo["dc_th"].pk)
    r = case.post("dc_th_branch_secretary", "propose",
                  {"rules_draft": "草案", "consultation": "座谈", **guidance(skip=skipped),
                   "meeting": m(3, 3, 3)}, minutes())
    assert r.status_code == 400
    assert r.json()["code"] == "checklist_incomplete"
    assert r.json()["field"] == f"guide_{skipped}"


def test_local_history_is_encouraged_but_not_required(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    r = case.post("dc_th_branch_secretary", "propose",
                  {"rules_draft": "草案", "consultation": "座谈", **guidance(),
                   "meeting": m(3, 3, 3)}, minutes())
    assert r.status_code == 200
    assert r.json()["current_step"] == "deliberate"


def test_members_meeting_boundary_at_two_thirds(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    sec = "dc_th_branch_secretary"
    case.post(sec, "propose", {"rules_draft": "草案", "consultation": "座谈", **guidance(),
                               "meeting": m(3, 3, 3)}, minutes())
    case.post(sec, "deliberate", {"meeting": m(5, 4, 3, 1), "opinion": "同意"}, minutes())
    township_approve(case)
    # 7 full members: 4 present is below two thirds, 5 is at least two thirds
    r = case.post(sec, "review", {"members_informed": True, "meeting": m(7, 4, 4),
                                  "revised_draft": "草案"}, minutes())
    assert r.json()["code"] == "quorum_not_met"
    r = case.post(sec, "review", {"members_informed": True, "meeting": m(7, 5, 4, 1),
                                  "revised_draft": "草案"}, minutes())
    assert r.status_code == 200
    assert r.json()["current_step"] == "villagers_decide"


@pytest.mark.parametrize(("below", "yes_of", "code"), [
    (1, 0, "quorum_not_met"),   # one below 2/3 of the representatives serving that day
    (0, 0, "vote_failed"),      # exactly half of those present is not more than half
    (0, 1, None),
])
def test_representatives_vote_follows_the_law(demo, clock, below, yes_of, code):
    case = open_rules(demo["dc_th"].pk)
    to_villagers(case)
    field = next(f for a in case.actions("dc_th_committee_director") if a["code"] == "decide"
                 for f in a["fields"] if f["type"] == "meeting")
    due = field["roll_by"]["rolls"]["representatives"]["due"]
    present = -(-2 * due // 3) - below
    present += present % 2 if not below else 0  # an even number, so that half is exact
    yes = present // 2 + yes_of
    r = decide(case, RULES_TEXT, "2026-11-02",
               meeting=m(due, present, yes, present - yes))
    if code:
        assert r.json()["code"] == code
    else:
        assert r.json()["current_step"] == "district_filing"


def test_adoption_date_may_not_lie_in_the_future(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    to_villagers(case)
    r = decide(case, RULES_TEXT, "2026-11-03")
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("future_date", "meeting.held_at")


def test_the_filed_rules_are_posted_seven_days_then_put_in_force(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    to_villagers(case)
    assert decide(case, RULES_TEXT, "2026-11-02").json()["publicity"] == []  # filing first
    detail = file_rules(case, "2026-11-02").json()
    assert detail["current_step"] == "resolution_publicity"
    assert detail["publicity"][0]["earliest_end"] == "2026-11-10T00:00:00+08:00"
    assert RULES_TEXT in Client().get(f"/board/{demo['dc_th'].pk}/").content.decode()
    clock.move_to(parse_datetime("2026-11-09T23:59:00+08:00"))
    r = end_publicity(case)
    assert r.json()["code"] == "publicity_open"
    clock.move_to(parse_datetime("2026-11-10T00:00:00+08:00"))
    r = end_publicity(case)
    assert r.status_code == 200
    assert r.json()["current_step"] == "publish"


def test_township_may_send_the_rules_back_for_revision(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    to_township(case)
    gov = "dc_township_government"
    r = case.post(gov, "approve", {"lawful": False, "opinion": "第三条违反婚姻法"})
    assert r.json()["code"] == "requirement_not_met"
    r = case.post(gov, "return", {"step": "propose"}, comment="第三条限制出嫁女土地权益,违法")
    assert r.status_code == 200
    assert r.json()["current_step"] == "propose"
    assert not VillageRules.objects.exists()


def test_only_the_district_civil_affairs_bureau_files(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    to_villagers(case)
    decide(case, RULES_TEXT, "2026-11-02")
    clock.move_to(parse_datetime("2026-11-10T08:00:00+08:00"))
    r = case.post("dc_township_government", "file", {"filed_on": "2026-11-10"})
    assert r.status_code in (403, 404)
    r = file_rules(case, "2026-11-01")
    assert (r.json()["code"], r.json()["field"]) == ("date_order", "filed_on")  # before adoption
    assert not VillageRules.objects.exists()


def test_filing_makes_the_newest_version_current_and_keeps_history(demo, clock):
    first = filed_case(demo, clock, text="第一版:红白喜事从简")
    rules = VillageRules.objects.current(demo["dc_th"])
    assert (rules.version, rules.text, str(rules.filed_on)) == (1, "第一版:红白喜事从简",
                                                                "2026-11-02")
    assert rules.adopted_by == "村(居)民代表会议"
    clock.move_to(parse_datetime("2026-11-10T00:00:01+08:00"))
    assert end_publicity(first).status_code == 200
    r = first.post("dc_th_committee_director", "publish",
                   {"published_on": "2026-11-10", "location": "公开栏", "archive_minutes": True,
                    "archive_publicity": True, "archive_filing": False})
    assert r.json()["code"] == "checklist_incomplete"
    r = first.post("dc_th_committee_director", "publish",
                   {"published_on": "2026-11-10", "location": "公开栏", "archive_minutes": True,
                    "archive_publicity": True, "archive_filing": True})
    assert r.json()["closed"] is True

    second = open_rules(demo["dc_th"].pk, "再次修订村规民约")
    to_villagers(second)
    assert decide(second, "第二版:彩礼不超过3万元", "2026-11-10").status_code == 200
    clock.move_to(parse_datetime("2026-11-18T09:00:00+08:00"))
    assert file_rules(second, "2026-11-18", "民备〔2026〕9号").status_code == 200
    current = VillageRules.objects.current(demo["dc_th"])
    assert (current.version, current.text) == (2, "第二版:彩礼不超过3万元")
    assert list(VillageRules.objects.of(demo["dc_th"]).values_list("version", flat=True)) == [2, 1]
    assert VillageRules.objects.current(demo["dc_yl"]) is None
    old = VillageRules.objects.get(version=1)
    assert old.history.count() == 1


def test_versions_register_exports_pdf_and_excel(demo, clock):
    filed_case(demo, clock, text="第一条 移风易俗,婚事新办")
    sup = as_user("dc_th_supervisory_member")
    rows = [r for r in sup.get("/api/registers/").json() if r["code"] == "village_rules_versions"]
    assert [r["region"] for r in rows] == [demo["dc_th"].pk]
    pdf, xlsx = export(sup, "village_rules_versions")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "村规民约版本登记" in text
    assert "民备〔2026〕1号" in text
    assert "现行" in text
    flat = xlsx_cells(xlsx.content)
    assert "版本号" in flat and "现行" in flat
    assert "第一条 移风易俗,婚事新办" in flat


def test_another_village_cannot_see_the_case_or_the_register(demo, clock):
    case = open_rules(demo["dc_th"].pk)
    other = as_user("dc_yl_branch_secretary")
    assert other.get(f"/api/cases/{case.id}/").status_code == 404
    assert case.post("dc_yl_branch_secretary", "propose", {}).status_code == 404
    url = f"/api/registers/village_rules_versions/{demo['dc_th'].pk}.pdf"
    assert other.get(url).status_code == 404
    bureau = as_user("sfq_district_civil_affairs")
    assert bureau.get(f"/api/cases/{case.id}/").status_code == 200
