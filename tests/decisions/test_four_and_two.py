"""03.1 四议两公开 through the API, with the clock moved for the publicity window."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.dateparse import parse_datetime

from decisions.procedures import FOUR_AND_TWO
from tests.driver import meeting as m
from tests.driver import open_case
from tests.samples import upload_pdf, upload_png
from workflows import params
from workflows.models import Alert, PublicityNotice, TenantSetting

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
