"""A district or township may make a rule stricter, never weaker (admin and resolution)."""

from fractions import Fraction

import pytest

from decisions.procedures import FOUR_AND_TWO
from workflows import params
from workflows.admin import TenantSettingForm
from workflows.models import TenantSetting


def form(region, param, value):
    return TenantSettingForm(data={"region": region.pk, "procedure": "03.1", "param": param,
                                   "value": value, "note": ""})


def test_admin_refuses_a_window_below_the_floor(demo):
    bad = form(demo["dc"], "resolution_publicity_days", "6")
    assert not bad.is_valid()
    assert "不得低于7天" in str(bad.errors)
    assert form(demo["dc"], "resolution_publicity_days", "7").is_valid()


def test_admin_refuses_a_weaker_quorum_and_villages(demo):
    assert not form(demo["sfq"], "members_quorum", "1/2").is_valid()
    assert form(demo["sfq"], "members_quorum", "3/4").is_valid()
    village = form(demo["dc_th"], "resolution_publicity_days", "10")
    assert not village.is_valid()
    assert "只有区或镇(街道)" in str(village.errors)


def test_admin_names_the_parameters_of_a_procedure(demo):
    unknown = form(demo["dc"], "nonsense", "9")
    assert not unknown.is_valid()
    assert "resolution_publicity_days" in str(unknown.errors)


def test_stricter_district_quorum_is_inherited_by_villages(demo):
    TenantSetting.objects.create(region=demo["sfq"], procedure="03.1", param="members_quorum",
                                 value="3/4")
    values = params.effective_all(FOUR_AND_TWO, demo["xh_sq"])
    assert values["members_quorum"] == Fraction(3, 4)
    assert values["members_pass"] == Fraction(2, 3)


@pytest.mark.parametrize("stored", ["abc", "1/0", "2"])
def test_a_broken_stored_value_never_weakens(demo, stored):
    TenantSetting.objects.create(region=demo["dc"], procedure="03.1",
                                 param="resolution_publicity_days", value=stored)
    param = FOUR_AND_TWO.all_params()["resolution_publicity_days"]
    assert params.effective(FOUR_AND_TWO, param, demo["dc_th"]) == 7
