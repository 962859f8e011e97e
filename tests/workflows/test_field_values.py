"""Values a field refuses instead of quietly changing: more decimals than it keeps, and the
words a refusal uses for ``TODAY`` bounds."""

from __future__ import annotations

import pytest

from core.errors import RuleError
from workflows.fields import check_bounds, clean_value
from workflows.spec import TODAY, FieldType, field

AREA = field("area", "面积", FieldType.DECIMAL, min="0.01")


@pytest.mark.parametrize("typed", ["1.005", "2.675", "0.001"])
def test_a_decimal_with_more_than_two_places_is_refused_not_rounded(typed):
    with pytest.raises(RuleError) as refused:
        clean_value(AREA, typed, region=None)
    assert refused.value.field == "area" and "两位小数" in refused.value.detail


@pytest.mark.parametrize(("typed", "kept"), [("1.5", "1.50"), ("2", "2.00"), ("3.25", "3.25")])
def test_a_decimal_within_two_places_is_kept_to_the_cent(typed, kept):
    assert clean_value(AREA, typed, region=None) == kept


def test_a_date_not_before_today_says_today(clock):
    due = field("rectify_by", "整改期限", FieldType.DATE, min=TODAY)
    with pytest.raises(RuleError) as refused:
        check_bounds(due, "2026-11-01", {}, {"rectify_by": due})
    assert "今天" in refused.value.detail and "today" not in refused.value.detail
    check_bounds(due, "2026-11-02", {}, {"rectify_by": due})  # the clock's day is allowed


def test_a_month_not_before_this_month_says_this_month(clock):
    month = field("period", "月份", FieldType.MONTH, min=TODAY)
    with pytest.raises(RuleError) as refused:
        check_bounds(month, "2026-10", {}, {"period": month})
    assert "本月" in refused.value.detail
    check_bounds(month, "2026-11", {}, {"period": month})
