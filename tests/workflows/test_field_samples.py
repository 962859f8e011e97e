"""The driver's sample data (tests.samples) follow the field schema the API describes: for an
action with a field of every type and every bound, what ``sample_data`` builds from the
action's fields as the API lists them is accepted by the gate as it stands.

(``ref`` fields take the first of their ``choices`` — checked on the description below: no
domain registers a roster source yet, and workflows.refs has no override to add one for a
test without writing into its table.)
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from stdnum.cn import ric, uscc

from core.roles import Level, Role
from tests.driver import GATE, open_case
from tests.samples import sample_data, sample_value
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldSpec,
    FieldType,
    Format,
    ProcedureSpec,
    RequiredIf,
    Risk,
    StepSpec,
    field,
    file_field,
    meeting_field,
    simple_majority,
)

MEMBER = "dc_th_committee_member"
FIELDS = (
    field("short", "简称", max_length=4),
    field("note", "说明", FieldType.TEXT),
    field("person", "身份证号", format=Format.ID_NUMBER),
    field("phone", "手机", format=Format.MOBILE),
    field("company", "统一社会信用代码", format=Format.USCC),
    field("code", "编号", pattern=r"[A-Z]\d", help="一个大写字母和一位数字"),
    field("count", "人数", FieldType.INTEGER, min=5, max=7),
    field("rate", "标准", FieldType.DECIMAL, min="0.50", max="1.00"),
    field("held_on", "召开日期", FieldType.DATE, max=TODAY),
    field("due_on", "完成期限", FieldType.DATE, after="held_on"),
    field("found_at", "发现时间", FieldType.DATETIME, max=TODAY),
    field("month", "月份", FieldType.MONTH, max=TODAY),
    field("kept", "已归档", FieldType.BOOLEAN),
    field("kind", "类别", FieldType.CHOICE, choices=(("a", "甲"), ("b", "乙"))),
    field("forms", "形式", FieldType.MULTICHOICE, min_items=2,
          choices=(("x", "现场"), ("y", "书面"), ("z", "线上"))),
    field("who", "经办人", FieldType.USER, user_roles=(Role.COMMITTEE_MEMBER,)),
    field("rows", "清单", FieldType.TABLE, min_rows=2, max_rows=3, columns=(
        field("item", "事项"), field("done_on", "完成日期", FieldType.DATE, max=TODAY),
        field("hours", "课时", FieldType.INTEGER, min=1, max=8))),
    meeting_field(),
    file_field("proof", "证明材料"),
    FieldSpec("photo", "照片", FieldType.FILE, required=False, accept=("image/png",),
              required_if=RequiredIf("kind", "a")),
)
SPEC = ProcedureSpec(
    code="97.1", name="测试:每种字段", category="测试", guiding_units=("区委组织部",),
    guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会",
    risks=(Risk("测试风险", "测试控制"),), measures=("测试措施",),
    steps=(StepSpec("fill", "填报", roles=(Role.COMMITTEE_MEMBER,), level=Level.VILLAGE,
                    actions=(ActionSpec("send", "提交", to=None, fields=FIELDS,
                                        meeting=simple_majority("两委会议", name="t",
                                                                roll="two_committees")),)),),
)


@pytest.fixture
def fields(demo, clock):
    with registry.override(SPEC):
        case = open_case("97.1", "dc_th", MEMBER, title="每种字段", via=GATE)
        action = next(a for a in case.actions(MEMBER) if a["code"] == "send")
        yield case, {f["name"]: f for f in action["fields"]}


def test_samples_of_every_type_and_bound_are_accepted_by_the_gate(fields):
    case, described = fields
    data, files = sample_data(list(described.values()))
    case.do(MEMBER, "send", samples=False, **data, **files)  # insists on 200
    assert case.closed


def test_each_sample_keeps_within_what_its_field_says(fields):
    _case, described = fields
    data, files = sample_data(list(described.values()))
    today = dt.date(2026, 11, 2)  # the clock
    assert len(data["short"]) <= 4
    assert ric.is_valid(data["person"]) and re.fullmatch(r"1[3-9]\d{9}", data["phone"])
    assert uscc.is_valid(data["company"]) and re.fullmatch(r"[A-Z]\d", data["code"])
    assert data["count"] == 5  # the sample 2, raised to the least allowed
    assert Decimal(data["rate"]) == Decimal("1.00")  # the sample 12.50, lowered to the most
    assert dt.date.fromisoformat(data["held_on"]) <= today <= dt.date.fromisoformat(
        data["due_on"])
    assert dt.datetime.fromisoformat(data["found_at"]).date() <= today
    assert data["month"] == "2026-11"
    assert len(data["forms"]) == 2 and data["kind"] == "a"
    assert data["who"] in {c["value"] for c in described["who"]["choices"]}
    assert len(data["rows"]) == 2
    assert all(dt.date.fromisoformat(r["done_on"]) <= today and 1 <= r["hours"] <= 8
               for r in data["rows"])
    assert set(files) == {"proof", "photo"}  # the photo: required when the kind is 甲


def test_a_value_given_is_sent_as_it_is_and_none_leaves_a_field_out(fields):
    _case, described = fields
    data, files = sample_data(list(described.values()), {"kind": "b", "count": 99,
                                                         "proof": None})
    assert (data["kind"], data["count"]) == ("b", 99)
    assert files == {}  # no proof (left out), no photo (not required for 乙)


def test_a_ref_takes_the_first_entry_of_its_roster():
    described = {"name": "household", "label": "农户", "type": "ref", "ref": "household",
                 "required": True, "choices": [{"value": "7", "label": "王建国户"},
                                               {"value": "9", "label": "李秀英户"}]}
    assert sample_value(described) == "7"
    with pytest.raises(AssertionError, match="nothing to choose"):
        sample_value({**described, "choices": []})
