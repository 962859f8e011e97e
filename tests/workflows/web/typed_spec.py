"""A test procedure whose one form uses every typed field the browser draws (contract 5):
month, ref, a table of typed columns, formats, required_if, item counts, a bounded file.
Registered by ``registry.override`` (and its roster by ``people_roster``) in the tests
that need it, never in the registry at import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from core.models import Region
from core.roles import Level, Role
from workflows import refs
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Choice,
    FieldType,
    Format,
    ProcedureSpec,
    RequiredIf,
    Risk,
    StepSpec,
    field,
    file_field,
)

CODE = "98.7"
ACTORS = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_DIRECTOR)
PEOPLE = ("张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十")
VALID_ID = "11010519491231002X"
OTHER_ID = "110105194912310029"  # a wrong check digit
ROWS = field(
    "rows", "补贴明细", FieldType.TABLE, min_rows=1, max_rows=20, columns=(
        field("name", "姓名", max_length=20),
        field("id_number", "身份证号码", format=Format.ID_NUMBER),
        field("amount", "金额(元)", FieldType.DECIMAL, min=0, max=10000),
        field("paid_on", "发放日期", FieldType.DATE, max=TODAY, required=False),
        field("member", "对应人员", FieldType.REF, ref="test_people", required=False),
        field("confirmed", "本人确认", FieldType.BOOLEAN, required=False),
    ))


def _people(region: Region, day: dt.date, word: str) -> list[Choice]:
    return [Choice(str(i + 1), name) for i, name in enumerate(PEOPLE)]


SOURCE = refs.RefSource("test_people", "测试人员", _people)


def spec() -> ProcedureSpec:
    return ProcedureSpec(
        code=CODE, name="字段测试事项", category="测试", guiding_units=("区委组织部",),
        guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会",
        risks=(Risk("测试风险", "测试控制"),), measures=("测试措施",), steps=(
            StepSpec("apply", "申报", roles=ACTORS, level=Level.VILLAGE, actions=(
                ActionSpec("apply", "提交申报", to="review", fields=(
                    field("contact", "联系人", max_length=20),
                    field("id_number", "身份证号码", format=Format.ID_NUMBER),
                    field("mobile", "手机号码", format=Format.MOBILE, required=False),
                    field("month", "所属月份", FieldType.MONTH, max=TODAY, min="2020-01"),
                    field("person", "经办党员", FieldType.REF, ref="test_people"),
                    field("how", "办理方式", FieldType.CHOICE,
                          choices=(("self", "本人办理"), ("agent", "委托代办"))),
                    field("agent", "代办人", required_if=RequiredIf("how", "agent")),
                    field("tags", "补贴类别", FieldType.MULTICHOICE, min_items=1, max_items=2,
                          choices=(("grain", "种粮"), ("seed", "良种"), ("machine", "农机"))),
                    ROWS,
                    file_field("document", "申报表扫描件", accept=("application/pdf",)),
                )),)),
            StepSpec("review", "审核", roles=ACTORS, level=Level.VILLAGE, actions=(
                ActionSpec("done", "审核通过", to=None),)),
        ))


@contextmanager
def registered() -> Iterator[None]:
    """The test procedure and its roster, for the duration of a ``with`` block."""
    saved = refs._SOURCES.get(SOURCE.code)
    refs._SOURCES[SOURCE.code] = SOURCE
    try:
        with registry.override(spec()):
            yield
    finally:
        if saved is None:
            refs._SOURCES.pop(SOURCE.code, None)
        else:
            refs._SOURCES[SOURCE.code] = saved


def good_post(**overrides: str) -> dict[str, object]:
    """A submission of the case page that the gate accepts (without its file)."""
    post: dict[str, object] = {
        "action": "apply", "step": "apply", "f_contact": "王会计", "f_id_number": VALID_ID,
        "f_mobile": "13800138000", "f_month": "2026-10", "f_person": "3", "f_how": "self",
        "f_tags": ["grain"], "f_rows": ["0"], "f_rows.0.name": "张三",
        "f_rows.0.id_number": VALID_ID, "f_rows.0.amount": "120.50",
        "f_rows.0.paid_on": "2026-10-30", "f_rows.0.member": "1",
    }
    post.update(overrides)
    return post
