"""03.1 四议两公开 through the API, with the clock moved for the publicity window."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.dateparse import parse_datetime

from core.models import Membership
from core.roles import Role
from decisions.models import MajorMatter
from decisions.procedures import FOUR_AND_TWO
from tests.driver import as_user, open_case, person
from tests.driver import meeting as m
from tests.exports import export, pdf_text, xlsx_rows
from tests.samples import upload_pdf, upload_png
from workflows import params
from workflows.models import Alert, CaseEvent, PublicityNotice, TenantSetting

SEC, DIRECTOR = "dc_th_branch_secretary", "dc_th_committee_director"


def minutes():
    return {"minutes": upload_pdf("会议记录.pdf")}


@pytest.fixture
def case_at_members(demo, clock):
    case = open_case("03.1", demo["dc_th"], SEC, title="村集体鱼塘发包")
    r = case.post(SEC, "propose", {"matter": "assets", "proposal": "鱼塘公开发包,期限五年",
                                   "consultation": "走访农户30户", "meeting": m(3, 3, 3)},
                  minutes())
    assert r.status_code == 200, r.content
    r = case.post(SEC, "deliberate", {"body": "two_committees", "vote_method": "hands",
                                      "meeting": m(5, 4, 3, 1), "opinion": "同意提交"},
                  minutes())
    assert r.status_code == 200, r.content
    return case


def reviewed(case):
    """The members' meeting held (all 7 voters of 桃花村, all for), as the tests of the next
    steps begin."""
    r = case.post(SEC, "review", {"members_informed": True, "informed_on": "2026-11-01",
                                  "meeting": m(7, 7, 7), "revised_proposal": "方案"}, minutes())
    assert r.status_code == 200, r.content


def roll(case, user, action, body=None):
    """The roll the action's meeting field shows (for ``body`` when the body chooses it)."""
    field = next(f for a in case.actions(user) if a["code"] == action for f in a["fields"]
                 if f["type"] == "meeting")
    return field["roll"] if "roll" in field else field["roll_by"]["rolls"][body]


def test_members_meeting_at_exactly_two_thirds_passes(case_at_members):
    case = case_at_members
    r = case.post(SEC, "review", {"members_informed": True, "informed_on": "2026-11-01",
                                  # 桃花村: 7 full members; 5 is the least 2/3 of them,
                                  # 4 the least 2/3 of those 5
                                  "meeting": m(7, 5, 4, 1),
                                  "revised_proposal": "鱼塘公开发包,期限五年,底价每年2万元"},
                  minutes())
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "villagers_decide"


def test_members_meeting_one_below_quorum_is_refused(case_at_members):
    case = case_at_members
    r = case.post(SEC, "review", {"members_informed": True, "informed_on": "2026-11-01",
                                  "meeting": m(7, 4, 4), "revised_proposal": "方案"},
                  minutes())
    assert r.status_code == 400
    assert r.json()["code"] == "quorum_not_met"
    assert case.detail(SEC)["current_step"] == "members_review"


def test_members_meeting_one_vote_short_fails(case_at_members):
    case = case_at_members
    r = case.post(SEC, "review", {"members_informed": True, "informed_on": "2026-11-01",
                                  "meeting": m(7, 6, 3, 3), "revised_proposal": "方案"},
                  minutes())
    assert r.json()["code"] == "vote_failed"


def test_members_must_be_told_beforehand(case_at_members):
    case = case_at_members
    r = case.post(SEC, "review", {"members_informed": False, "informed_on": "2026-11-01",
                                  "meeting": m(7, 7, 7), "revised_proposal": "方案"},
                  minutes())
    assert r.status_code == 400
    assert r.json()["code"] == "requirement_not_met"


def test_meeting_numbers_must_be_consistent(case_at_members):
    case = case_at_members
    r = case.post(SEC, "review", {"members_informed": True, "informed_on": "2026-11-01",
                                  "meeting": m(7, 5, 5, 1), "revised_proposal": "方案"},
                  minutes())
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_field"  # more votes than voters present


def _half(due):  # the fewest more than half of ``due``
    return due // 2 + 1


def _two_thirds(due):  # the fewest at least two thirds of ``due``
    return -(-2 * due // 3)


@pytest.mark.parametrize(("body", "figures", "code"), [
    ("villagers", lambda n: (n // 2, n // 2), "quorum_not_met"),  # half is not more than half
    ("villagers", lambda n: (_half(n), _half(_half(n))), None),
    ("villagers", lambda n: (_half(n), _half(n) // 2), "vote_failed"),
    ("households", lambda n: (_two_thirds(n), _half(_two_thirds(n))), None),  # exactly 2/3
    ("households", lambda n: (_two_thirds(n) - 1, _two_thirds(n) - 1), "quorum_not_met"),
    ("representatives", lambda n: (_two_thirds(n), _half(_two_thirds(n))), None),
    ("representatives", lambda n: (_two_thirds(n) - 1, _two_thirds(n) - 1), "quorum_not_met"),
    ("collective", lambda n: (_two_thirds(n), _two_thirds(n) // 2), "vote_failed"),
])
def test_the_villagers_body_chosen_sets_the_rule(case_at_members, body, figures, code):
    """The rule and the roll follow the body chosen: the adults or the households of the
    population figure, the representatives or the collective's members on the roster."""
    case = case_at_members
    reviewed(case)
    due = roll(case, DIRECTOR, "decide", body)["due"]
    present, yes = figures(due)
    r = case.post(DIRECTOR, "decide", {"body": body, "resolution": "同意",
                                       "meeting": m(due, present, yes, present - yes)},
                  minutes())
    if code is None:
        assert r.status_code == 200, r.content
    else:
        assert r.status_code == 400
        assert r.json()["code"] == code


def test_resolution_publicity_cannot_be_cut_short(case_at_members, clock):
    case = case_at_members
    reviewed(case)
    r = case.post(DIRECTOR, "decide", {"body": "representatives", "meeting": m(),
                                       "resolution": "鱼塘由张某以每年2.3万元承包五年"},
                  minutes())
    detail = r.json()
    assert detail["current_step"] == "resolution_publicity"
    notice = detail["publicity"][0]
    assert notice["days"] == 7 and notice["working_days"] is False
    # posted Monday 2026-11-02 10:00; counted 11-03..11-09; may end 11-10 00:00 Shanghai
    assert notice["earliest_end"] == "2026-11-10T00:00:00+08:00"
    posting = {"location": "村务公开栏"}
    r = case.post(DIRECTOR, "publicity_done", posting, {"photo": upload_png()})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "publicity_open"
    assert body["not_before"] == "2026-11-10T00:00:00+08:00"
    alert = Alert.objects.get(case_id=case.id, kind="publicity_cut_short")
    assert "公示期满前" in alert.message
    clock.move_to(parse_datetime("2026-11-09T23:59:00+08:00"))
    assert case.post(DIRECTOR, "publicity_done", posting,
                     {"photo": upload_png()}).json()["code"] == "publicity_open"
    # the board shows it while it runs, with the resolution text
    board = Client().get(f"/board/{detail['region']}/").content.decode()
    assert "鱼塘由张某以每年2.3万元承包五年" in board
    clock.move_to(parse_datetime("2026-11-10T00:00:01+08:00"))
    r = case.post(DIRECTOR, "publicity_done", posting, {"photo": upload_png()})
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "implementation"
    notice = PublicityNotice.objects.get(case_id=case.id)
    assert notice.state == "ended"
    assert notice.location == "村务公开栏"


def test_objection_must_be_answered_before_moving_on(case_at_members, clock):
    case = case_at_members
    reviewed(case)
    case.post(DIRECTOR, "decide", {"body": "representatives", "meeting": m(),
                                   "resolution": "决议"}, minutes())
    clock.move_to(parse_datetime("2026-11-03T15:00:00+08:00"))  # a villager objects next day
    r = case.post(DIRECTOR, "record_objection", {"content": "承包价偏低", "raised_by": "村民甲"})
    assert r.status_code == 200
    clock.move_to(parse_datetime("2026-11-12T09:00:00+08:00"))
    r = case.post(DIRECTOR, "publicity_done", {"location": "公开栏"}, {"photo": upload_png()})
    assert r.json()["code"] == "objection_unanswered"
    case.post(DIRECTOR, "answer_objection", {"answer": "价格经评估,已当面答复"})
    r = case.post(DIRECTOR, "publicity_done", {"location": "公开栏"}, {"photo": upload_png()})
    assert r.status_code == 200
    objection = PublicityNotice.objects.get(case_id=case.id).objections.get()
    assert objection.answer.startswith("价格经评估")


def test_tenant_may_lengthen_the_window_but_not_shorten(case_at_members, demo, clock):
    param = FOUR_AND_TWO.all_params()["resolution_publicity_days"]
    with pytest.raises(ValidationError):
        params.validate(param, 5)
    TenantSetting.objects.create(region=demo["dc"], procedure="03.1",
                                 param="resolution_publicity_days", value="10")
    TenantSetting.objects.create(region=demo["sfq"], procedure="03.1",
                                 param="resolution_publicity_days", value="3")  # ignored
    assert params.effective(FOUR_AND_TWO, param, demo["dc_th"]) == 10
    assert params.effective(FOUR_AND_TWO, param, demo["xh_qq"]) == 7
    case = case_at_members
    reviewed(case)
    r = case.post(DIRECTOR, "decide",
                  {"body": "representatives", "meeting": m(), "resolution": "决议"},
                  minutes())
    notice = r.json()["publicity"][0]
    assert notice["days"] == 10
    assert notice["earliest_end"] == "2026-11-13T00:00:00+08:00"


def test_steps_cannot_be_skipped(demo, clock):
    case = open_case("03.1", demo["dc_th"], SEC, title="规划")
    r = case.post(SEC, "review", {})
    assert r.status_code == 400
    assert r.json()["code"] == "wrong_step"


def test_return_with_reason_goes_back(case_at_members):
    case = case_at_members
    r = case.post(SEC, "return", {"step": "deliberate"}, comment="")
    assert r.json()["code"] == "missing_field"
    r = case.post(SEC, "return", {"step": "deliberate"}, comment="商议意见不完整")
    assert r.status_code == 200
    assert r.json()["current_step"] == "deliberate"
    assert r.json()["events"][-1]["action"] == "return"


def test_withdraw_by_opener_only(case_at_members):
    case = case_at_members
    assert case.post("dc_th_branch_deputy", "withdraw", comment="不办了").status_code == 403
    r = case.post(SEC, "withdraw", comment="情况变化,暂缓")
    assert r.status_code == 200
    assert r.json()["state"] == "withdrawn"
    assert case.post(SEC, "review", {}).json()["code"] == "case_closed"


# --- the branch proposal: the 支委会 rule of the portal ------------------------------------


@pytest.fixture
def five_committee_members(demo):
    """桃花村's branch committee with five members on the day (three in the demo)."""
    for username in ("dc_th_committee_director", "dc_th_committee_member"):
        Membership.objects.create(user=person(username), region=demo["dc_th"],
                                  role=Role.BRANCH_COMMITTEE, start=dt.date(2026, 1, 1))


def propose(case, meeting):
    return case.post(SEC, "propose", {"matter": "assets", "proposal": "鱼塘公开发包",
                                      "consultation": "走访农户30户", "meeting": meeting},
                     minutes())


def test_branch_proposal_needs_more_than_half_of_the_committee_due_not_of_those_present(
        demo, clock, five_committee_members):
    """支委会: 3 of 5 members present reach the quorum; 2 for is more than half of those
    present but not of the 5 due, and the proposal is not made."""
    assert FOUR_AND_TWO.step("propose").action("propose").meeting.pass_line.basis == "due"
    case = open_case("03.1", demo["dc_th"], SEC, title="村集体鱼塘发包")
    r = propose(case, m(5, 3, 2, 1))
    assert r.status_code == 400
    assert r.json()["code"] == "vote_failed"
    assert "应到人数的半数以上" in r.json()["detail"]
    r = propose(case, m(5, 3, 3))
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "deliberate"


# --- 编造会议记录: the roll from the rosters, the meeting's date ---------------------------


def deliberate(case, meeting):
    return case.post(SEC, "deliberate", {"body": "two_committees", "vote_method": "hands",
                                         "meeting": meeting, "opinion": "同意提交"},
                     minutes())


@pytest.fixture
def case_at_deliberation(demo, clock):
    case = open_case("03.1", demo["dc_th"], SEC, title="村道硬化")
    assert propose(case, m(3, 3, 3)).status_code == 200
    return case


def test_a_typed_roll_that_differs_from_the_rosters_is_refused(case_at_deliberation):
    """The 两委会议's roll is the two committees' memberships of the day (5 in 桃花村): a
    meeting reported with another number due is refused, and the members are those named."""
    case = case_at_deliberation
    field = next(f for a in case.actions(SEC) if a["code"] == "deliberate"
                 for f in a["fields"] if f["type"] == "meeting")
    rolls = field["roll_by"]["rolls"]
    assert rolls["two_committees"]["due"] == 5
    assert len(rolls["two_committees"]["members"]) == 5
    r = deliberate(case, m(6, 4, 3, 1))
    assert r.status_code == 400
    assert r.json()["code"] == "roll_mismatch"
    r = deliberate(case, {"held_at": "2026-11-02", "attendees": ["user:999999"], "yes": 1})
    assert (r.status_code, r.json()["code"]) == (400, "not_on_roll")  # nobody made up
    r = deliberate(case, {"held_at": "2026-11-02", "present": 4, "yes": 3})
    assert (r.status_code, r.json()["code"]) == (400, "missing_field")  # the names, not a count
    assert case.detail(SEC)["current_step"] == "deliberate"


def test_a_meeting_dated_in_the_future_is_refused(case_at_deliberation):
    r = deliberate(case_at_deliberation, m(5, 4, 3, 1, held_at="2026-11-03"))
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("future_date", "meeting.held_at")


def test_a_meeting_dated_before_its_step_opened_is_refused(case_at_deliberation, clock):
    """The 两委会议 must follow the branch's proposal: a meeting held before the step opened
    (the proposal made on 11-02 at 10:00) is refused, one held after it is taken."""
    clock.move_to(parse_datetime("2026-11-04T09:00:00+08:00"))
    r = deliberate(case_at_deliberation, m(5, 4, 3, 1, held_at="2026-11-02T09:00:00+08:00"))
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("date_order", "meeting.held_at")
    r = deliberate(case_at_deliberation, m(5, 4, 3, 1, held_at="2026-11-03"))
    assert r.status_code == 200, r.content


# --- 拖延或缩短公示时间: the window ---------------------------------------------------------


def test_the_publicity_starts_when_the_resolution_passes_and_cannot_be_delayed(
        case_at_members, clock):
    """No step lies between the resolution and its notice: the window opens at the moment
    of the decision (its event) with the days in force, and the ledger records it."""
    case = case_at_members
    reviewed(case)
    clock.move_to(parse_datetime("2026-11-02T15:30:00+08:00"))
    r = case.post(DIRECTOR, "decide", {"body": "representatives", "meeting": m(),
                                       "resolution": "决议"}, minutes())
    assert r.json()["current_step"] == "resolution_publicity"
    decided = CaseEvent.objects.filter(case_id=case.id, action="decide").get()
    notice = PublicityNotice.objects.get(case_id=case.id)
    assert notice.start == decided.at
    assert notice.days == 7
    line = MajorMatter.objects.get(case_id=case.id)
    assert (line.publicity_start, line.publicity_end) == (notice.start, notice.earliest_end)
    control = {r.text: r.control for r in FOUR_AND_TWO.risks_in_force()}["拖延或缩短公示时间"]
    assert "不少于7天" in control and "预警" in control


def test_the_archive_risk_the_seed_does_not_list_is_not_claimed():
    """The model text lists three risks for 03.1; the fourth (资料整理归档不规范) and its
    checklist that no step asked for are gone."""
    assert [r.text for r in FOUR_AND_TWO.risks] == [
        "简化程序、编造会议记录", "公开事项内容不全或与决议内容不符", "拖延或缩短公示时间"]


# --- the "四议两公开" ledger -----------------------------------------------------------


def test_the_ledger_records_every_stage_with_its_date_and_result(case_at_members, clock):
    case = case_at_members
    reviewed(case)
    case.post(DIRECTOR, "decide", {"body": "representatives", "meeting": m(),
                                   "resolution": "鱼塘由张某承包五年"}, minutes())
    clock.move_to(parse_datetime("2026-11-10T08:00:00+08:00"))
    r = case.post(DIRECTOR, "publicity_done", {"location": "村务公开栏"}, {"photo": upload_png()})
    assert r.status_code == 200, r.content
    r = case.post("dc_th_collective_head",
                  "publish_result", {"result": "已签订承包合同,首年承包费2.3万元已入账",
                                     "published_on": "2026-11-10", "location": "村务公开栏"})
    assert r.status_code == 200, r.content
    line = MajorMatter.objects.get(case_id=case.id)
    assert (line.number, line.title, line.matter) == (1, "村集体鱼塘发包", "重大“三资”决策")
    day = dt.date(2026, 11, 2)
    assert (line.proposed_on, line.deliberated_on, line.reviewed_on, line.decided_on) == \
        (day, day, day, day)
    assert line.proposal_result == "党支部委员会会议:应到3人,实到3人,赞成3、反对0、弃权0,通过"
    assert line.deliberation_result.startswith("村两委会议:应到5人,实到4人,赞成3")
    assert line.review_result.startswith("党员大会:应到7人,实到7人,赞成7")
    assert line.decision_result.startswith("村民代表会议:")
    assert line.publicity_days == 7
    assert line.publicity_ended_at is not None
    assert line.result_published_on == dt.date(2026, 11, 10)
    sup = as_user("dc_th_supervisory_member")
    rows = [r for r in sup.get("/api/registers/").json() if r["code"] == "major_matters"]
    assert [r["region"] for r in rows] == [case.detail(SEC)["region"]]
    assert rows[0]["name"] == "村级重大事项“四议两公开”台账"
    pdf, xlsx = export(sup, "major_matters")
    assert pdf.status_code == 200 and xlsx.status_code == 200
    text = pdf_text(pdf.content, layout=False).replace("\n", "")
    assert "四议两公开" in text and "村集体鱼塘发包" in text
    table = xlsx_rows(xlsx.content)
    header = next(row for row in table if "党组织提议日期" in row)
    for column in ("两委会议商议日期", "党员大会审议日期", "村民(代表)会议决议日期",
                   "决议公开开始", "决议公开期满(最早结束)", "实施结果公开日期", "实施结果"):
        assert column in header
    row = next(row for row in table if "村集体鱼塘发包" in row)
    assert "2026-11-10 00:00(7天)" in row
    assert "已签订承包合同,首年承包费2.3万元已入账" in row


def test_a_stage_done_again_after_a_return_replaces_its_line(case_at_members):
    case = case_at_members
    r = case.post(SEC, "return", {"step": "deliberate"}, comment="商议意见不完整")
    assert r.status_code == 200
    r = case.post(SEC, "deliberate", {"body": "two_committees", "vote_method": "secret",
                                      "meeting": m(5, 5, 5), "opinion": "同意"}, minutes())
    assert r.status_code == 200, r.content
    line = MajorMatter.objects.get(case_id=case.id)
    assert "实到5人,赞成5" in line.deliberation_result
    assert MajorMatter.objects.count() == 1
