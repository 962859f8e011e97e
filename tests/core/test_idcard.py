"""core.idcard: one checker and one mask for every app that keeps ID numbers."""

import pytest

from core.errors import RuleError
from core.idcard import check_digit, id_problem, mask_id, valid_id_number
from workflows.fields import clean_value
from workflows.spec import Format, field

GOOD = "330299198001010012"


def test_check_digit_follows_gb_11643():
    assert check_digit(GOOD[:17]) == "2"
    assert check_digit("11010519491231002") == "X"


NUMBERS = [
    (GOOD, None),
    ("11010519491231002X", None),
    (GOOD[:-1], "应为18位(现为17位)"),
    (GOOD + "1", "应为18位(现为19位)"),
    ("33029919800101001A", "只能由数字和末位X组成"),
    ("330299198002300012", "出生日期不正确"),
    (GOOD[:-1] + "3", "校验位不正确"),
]


@pytest.mark.parametrize(("number", "problem"), NUMBERS)
def test_id_problem_names_what_is_wrong(number, problem):
    assert id_problem(number) == problem
    assert valid_id_number(number) is (problem is None)


@pytest.mark.parametrize(("number", "problem"), NUMBERS)
def test_the_id_number_format_of_a_field_agrees_with_the_shared_checker(number, problem):
    """A field of format ``id_number`` (the tables of people, the rosters typed in a form)
    accepts exactly the numbers the shared checker accepts."""
    spec = field("id_number", "身份证号", format=Format.ID_NUMBER)
    if problem is None:
        assert clean_value(spec, number, region=None) == number
    else:
        with pytest.raises(RuleError) as refused:
            clean_value(spec, number, region=None)
        assert refused.value.code == "invalid_id_number"
        assert problem in refused.value.detail  # the reason, not a vague "not valid"


def test_mask_keeps_six_and_four():
    assert mask_id(GOOD) == "330299********0012"
    assert mask_id("1234567890") == "1234567890"


def test_every_app_uses_the_shared_module():
    """Apps mask with the shared module; ID numbers sent in a field are checked by its
    ``id_number`` format (above), those read from an uploaded sheet by the shared checker."""
    import party.models.members as members
    import personnel.effects as personnel_actions
    import subsidies.tables as tables

    assert personnel_actions.mask_id is mask_id
    assert tables.id_problem is id_problem and tables.mask_id is mask_id
    assert members.mask_id is mask_id
