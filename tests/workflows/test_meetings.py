"""Quorum and pass lines in integers, at their boundaries."""

from fractions import Fraction

import pytest

from decisions.procedures import MEMBERS_MEETING, REPRESENTATIVES_MEETING, VILLAGERS_MEETING
from workflows.gate import check_meeting, explain_meeting
from workflows.spec import simple_majority


def meeting(due, present, yes, no=0, abstain=0):
    return {"due": due, "present": present, "yes": yes, "no": no, "abstain": abstain}


@pytest.mark.parametrize(("due", "present", "quorum"), [
    (30, 20, True),   # exactly 2/3
    (30, 19, False),  # one below
    (31, 21, True),   # 21*3 = 63 >= 62
    (31, 20, False),  # 60 < 62
    (3, 2, True),
    (3, 1, False),
])
def test_party_members_meeting_quorum_two_thirds_of_due(due, present, quorum):
    assert check_meeting(MEMBERS_MEETING, meeting(due, present, present), {})[0] is quorum


@pytest.mark.parametrize(("present", "yes", "passed"), [
    (21, 14, True),   # exactly 2/3 of present
    (21, 13, False),  # one below
    (20, 14, True),   # 42 >= 40
    (20, 13, False),  # 39 < 40
])
def test_party_members_meeting_passes_with_two_thirds_of_present(present, yes, passed):
    assert check_meeting(MEMBERS_MEETING, meeting(30, present, yes), {})[1] is passed


@pytest.mark.parametrize(("due", "present", "quorum"), [
    (100, 51, True), (100, 50, False), (101, 51, True), (101, 50, False),
])
def test_villagers_meeting_needs_more_than_half_of_adults(due, present, quorum):
    assert check_meeting(VILLAGERS_MEETING, meeting(due, present, present), {})[0] is quorum


@pytest.mark.parametrize(("present", "yes", "passed"), [(40, 21, True), (40, 20, False),
                                                        (41, 21, True), (41, 20, False)])
def test_representatives_decide_by_more_than_half_of_present(present, yes, passed):
    assert check_meeting(REPRESENTATIVES_MEETING, meeting(45, present, yes), {})[1] is passed


def test_no_quorum_means_no_pass_even_if_all_present_agree():
    assert check_meeting(MEMBERS_MEETING, meeting(30, 19, 19), {}) == (False, False)


def test_refusals_explain_in_plain_chinese():
    err = explain_meeting(MEMBERS_MEETING, meeting(30, 19, 19), {})
    assert err.code == "quorum_not_met"
    assert "应到30人" in err.detail and "实到19人" in err.detail
    err = explain_meeting(MEMBERS_MEETING, meeting(30, 21, 13), {})
    assert err.code == "vote_failed"
    assert "赞成13票" in err.detail
    assert explain_meeting(MEMBERS_MEETING, meeting(30, 21, 14), {}) is None


def test_a_tenant_stricter_ratio_is_applied():
    rule = simple_majority("两委会议", name="x", roll="two_committees")
    assert check_meeting(rule, meeting(10, 6, 4), {})[1] is True
    assert check_meeting(rule, meeting(10, 6, 4), {"x_pass": Fraction(3, 4)})[1] is False
