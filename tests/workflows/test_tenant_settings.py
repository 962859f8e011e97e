"""A district or township may make a rule stricter, never weaker (admin and resolution)."""

from fractions import Fraction

import pytest

from decisions.procedures import FOUR_AND_TWO
from workflows import params
from workflows.admin import TenantSettingForm
from workflows.models import TenantSetting
from workflows.registry import registry


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


def test_a_stricter_limit_where_smaller_is_stricter_is_applied(demo):
    """Issue 11 point 10: a 119-call limit, a report within N hours and a repetition alert
    are stricter when smaller; before, a district's 5 minutes was saved and ignored (the
    larger default won)."""
    fire, themed_day = registry.get("10.4"), registry.get("02.3")
    TenantSetting.objects.create(region=demo["dc"], procedure=fire.code,
                                 param="fire_call_minutes", value="5")
    TenantSetting.objects.create(region=demo["dc"], procedure=fire.code,
                                 param="fire_report_hours", value="2")  # looser: ignored
    values = params.effective_all(fire, demo["dc_th"])
    assert values["fire_call_minutes"] == 5
    assert values["fire_report_hours"] == 1
    TenantSetting.objects.create(region=demo["dc"], procedure=themed_day.code,
                                 param="themed_day_same_form_alert", value="2")
    assert params.effective_all(themed_day, demo["dc_th"])["themed_day_same_form_alert"] == 2


def test_a_larger_window_is_stricter_and_a_smaller_one_is_ignored(demo):
    TenantSetting.objects.create(region=demo["dc"], procedure="03.1",
                                 param="resolution_publicity_days", value="10")
    assert params.effective_all(FOUR_AND_TWO, demo["dc_th"])["resolution_publicity_days"] == 10
    param = FOUR_AND_TWO.all_params()["resolution_publicity_days"]
    assert not param.lower_is_stricter
