from fractions import Fraction

import pytest

from core.roles import Level, Role
from workflows.registry import lint, registry
from workflows.spec import (
    ActionSpec,
    Basis,
    FieldType,
    Kind,
    MeetingRule,
    ProcedureSpec,
    Risk,
    StepSpec,
    at_least,
    field,
    meeting_field,
    ratio,
)


@pytest.mark.parametrize("code", registry.codes())
def test_every_registered_procedure_passes_the_lint(code):
    assert lint(registry.get(code)) == []


def test_codes_follow_the_model_text_numbering():
    for code in registry.codes():
        major, _, minor = code.partition(".")
        assert major.isdigit() and len(major) == 2
        assert minor == "" or minor.isdigit()


def test_every_risk_has_a_control_on_every_procedure():
    for spec in registry.all():
        assert spec.risks
        for risk in spec.risks:
            assert risk.control.strip(), (spec.code, risk.text)


def _spec(steps, **kw):
    base = {"code": "99.1", "name": "测试", "category": "测试", "guiding_units": ("区委组织部",),
            "guiding_roles": (Role.DISTRICT_ORG,), "supervisor": "上级党组织",
            "risks": (Risk("风险", "控制"),), "measures": ("措施",), "steps": steps}
    base.update(kw)
    return ProcedureSpec(**base)


def test_lint_finds_unreachable_steps_and_dead_ends():
    a = StepSpec("a", "甲", (Role.BRANCH_SECRETARY,), Level.VILLAGE,
                 (ActionSpec("go", "走", to=None),))
    b = StepSpec("b", "乙", (Role.BRANCH_SECRETARY,), Level.VILLAGE, ())
    problems = lint(_spec((a, b)))
    assert "step b is unreachable" in problems
    assert "step b has no way forward" in problems


def test_lint_finds_role_of_wrong_level_and_unknown_target():
    a = StepSpec("a", "甲", (Role.TOWNSHIP_PARTY,), Level.VILLAGE,
                 (ActionSpec("go", "走", to="nowhere"),))
    problems = lint(_spec((a,)))
    assert any("not of level" in p for p in problems)
    assert any("unknown step nowhere" in p for p in problems)
    assert "no action closes the case" in problems


def test_lint_refuses_a_number_below_its_floor():
    weak = ratio("q", "比例", 2, 3)
    weak = type(weak)(weak.name, weak.label, Fraction(1, 2), Fraction(2, 3), weak.unit,
                      weak.ceiling)
    rule = MeetingRule("党员大会", at_least(weak, Basis.DUE), at_least(weak, Basis.PRESENT))
    a = StepSpec("a", "甲", (Role.BRANCH_SECRETARY,), Level.VILLAGE,
                 (ActionSpec("go", "走", to=None, fields=(meeting_field(),), meeting=rule),))
    assert any("below floor" in p for p in lint(_spec((a,))))


def test_every_choice_and_multichoice_value_displays_as_text():
    """Choice labels may be lazy translations: what the timeline and the 全程纪实 record
    show must be plain text."""
    from workflows.fields import display_value
    from workflows.record import value_text
    from workflows.spec import FieldType

    shown = 0
    for spec in registry.all():
        for step in spec.steps:
            for act in step.actions:
                for fs in act.fields:
                    if fs.type == FieldType.MULTICHOICE:
                        values = [c.value for c in fs.choices[:2]]
                        for text in (display_value(fs, values), value_text(fs, values)):
                            assert isinstance(text, str) and "、" in text, (spec.code, fs.name)
                        shown += 1
                    elif fs.type == FieldType.CHOICE and fs.choices:
                        assert type(display_value(fs, fs.choices[0].value)) is str
                        assert type(value_text(fs, fs.choices[0].value)) is str
    assert shown >= 5


def test_lint_names_an_unknown_proposal_and_choices_not_from_another_step():
    posts = field("posts", "岗位", FieldType.TABLE, columns=(field("post", "岗位"),))
    a = StepSpec("a", "甲", (Role.BRANCH_SECRETARY,), Level.VILLAGE,
                 (ActionSpec("go", "走", to="b", fields=(posts,)),))
    b = StepSpec("b", "乙", (Role.BRANCH_SECRETARY,), Level.VILLAGE, (ActionSpec(
        "go", "走", to=None, fields=(
            field("staff", "人员", FieldType.TABLE, columns=(
                field("post", "岗位", FieldType.CHOICE, choices_from="a.posts.post"),)),
            field("wrong", "错", FieldType.CHOICE, choices_from="b.staff"),
            field("amount", "金额", FieldType.DECIMAL, default_from="nobody.knows"))),))
    problems = lint(_spec((a, b)))
    assert "b.go.wrong: choices_from b.staff is not a field of another step" in problems
    assert "b.go.amount: default_from names unknown proposal nobody.knows" in problems
    assert not any("staff" in p and "post" in p for p in problems)  # a.posts.post is fine


def test_lint_finds_two_fields_of_one_form_with_one_label():
    """One form, two inputs under one label (03.1's 两委会商议 had 商议会议 twice): refused.
    Different forms of a step (公示期满 and 登记张贴情况 both ask 张贴地点) may share one."""
    a = StepSpec("a", "甲", (Role.BRANCH_SECRETARY,), Level.VILLAGE, (
        ActionSpec("go", "走", to=None, fields=(field("x", "会议"), field("y", "会议"))),))
    assert "a.go: two fields labelled '会议'" in lint(_spec((a,)))
    b = StepSpec("b", "乙", (Role.BRANCH_SECRETARY,), Level.VILLAGE, (
        ActionSpec("go", "走", to=None, fields=(field("x", "张贴地点"),)),
        ActionSpec("note", "记", kind=Kind.SIDE, fields=(field("x", "张贴地点"),))))
    assert not [p for p in lint(_spec((b,))) if "labelled" in p]


def test_no_form_of_a_registered_procedure_shows_one_label_twice():
    for spec in registry.all():
        for step in spec.steps:
            for action in step.actions:
                labels = [fs.label for fs in action.fields]
                assert len(labels) == len(set(labels)), (spec.code, step.code, action.code)


def test_every_procedure_has_its_own_title_example():
    examples = {spec.code: spec.title_example for spec in registry.all()}
    assert all(text.strip() for text in examples.values()), [
        code for code, text in examples.items() if not text.strip()]
    assert len(set(examples.values())) == len(examples), "two procedures share an example"
    assert examples["01.1"] == "张三入党申请"
    assert examples["03.1"] == "关于村集体鱼塘承包的决策"
    assert examples["10.4"] == "村仓库火情处置"
