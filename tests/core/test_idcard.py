"""core.idcard: one checker and one mask for every app that keeps ID numbers."""

import pytest

from core.idcard import check_digit, id_problem, mask_id, valid_id_number

GOOD = "330299198001010012"


def test_check_digit_follows_gb_11643():
    assert check_digit(GOOD[:17]) == "2"
    assert check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(("number", "problem"), [
    (GOOD, None),
    ("11010519491231002X", None),
    (GOOD[:-1], "应为18位(现为17位)"),
    (GOOD + "1", "应为18位(现为19位)"),
    ("33029919800101001A", "只能由数字和末位X组成"),
    ("330299198002300012", "出生日期不正确"),
    (GOOD[:-1] + "3", "校验位不正确"),
])
def test_id_problem_names_what_is_wrong(number, problem):
    assert id_problem(number) == problem
    assert valid_id_number(number) is (problem is None)


def test_mask_keeps_six_and_four():
    assert mask_id(GOOD) == "330299********0012"
    assert mask_id("1234567890") == "1234567890"


def test_every_app_uses_the_shared_module():
    import party.effects.common as party_common
    import party.models.members as members
    import personnel.effects as personnel_actions
    import subsidies.tables as tables

    assert personnel_actions.id_problem is id_problem
    assert tables.id_problem is id_problem and tables.mask_id is mask_id
    assert members.mask_id is mask_id and party_common.valid_id_number is valid_id_number
