"""What the gate guarantees: a refusal changes nothing (files included), anything done to a
case between reading it and locking it makes the later action a 409, and a case follows
the version of its procedure it was opened under."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from core.errors import Conflict, RuleError
from core.roles import Level, Role
from tests.samples import upload_pdf
from workflows import gate
from workflows.effects import effect
from workflows.models import Attachment, Case, CaseEvent, Objection, Task
from workflows.registry import lint, registry
from workflows.spec import (
    ActionSpec,
    FieldType,
    Kind,
    ProcedureSpec,
    Publicity,
    Risk,
    StepSpec,
    days,
    field,
    file_field,
    publicity_side_actions,
)

APPLICANTS = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_DIRECTOR)


def _refuse_unless_ok(ctx):
    assert ctx.event is None  # nothing is written when checks run
    if ctx.data.get("note") == "不行":
        raise RuleError("not_ok", "说明不能为“不行”。", field="note")


def _fail_after_writing(ctx):
    assert ctx.event is not None  # the event is written when apply runs
    if ctx.data.get("note") == "boom":
        raise RuleError("late_failure", "写入后的失败。")


CHECKED = effect("tests.refuse_unless_ok", check=_refuse_unless_ok)
LATE = effect("tests.fail_after_writing", apply=_fail_after_writing)


def _spec(version: int = 1, *, extra_step: bool = False) -> ProcedureSpec:
    finish_to = "review" if extra_step else None
    steps = [
        StepSpec("apply", "申请", roles=APPLICANTS, level=Level.VILLAGE, actions=(
            ActionSpec("apply", "提交", to="publicity", fields=(
                field("note", "说明"), file_field("document", "文件")),
                effects=(CHECKED, LATE)),)),
        StepSpec("publicity", "公示", roles=APPLICANTS, level=Level.VILLAGE,
                 publicity=Publicity(days("t_days", "公示天数", 1), "测试公示"),
                 actions=(ActionSpec("finish", "公示期满", to=finish_to),
                          *publicity_side_actions())),
    ]
    if extra_step:
        steps.append(StepSpec("review", "复核", roles=APPLICANTS, level=Level.VILLAGE, actions=(
            ActionSpec("done", "复核完毕", to=None,
                       fields=(field("opinion", "意见", FieldType.TEXT),)),)))
    return ProcedureSpec(
        code="98.1", name="测试事项", category="测试", guiding_units=("区委组织部",),
        guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会",
        risks=(Risk("测试风险", "测试控制"),), measures=("测试措施",), steps=tuple(steps),
        version=version)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Monday 2026-11-02 10:00 in Shanghai, standing still."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def spec():
    with registry.override(_spec()):
        yield registry.get("98.1")


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _opened(user, demo):
    return gate.open_case(actor=user("dc_th_committee_member"), procedure="98.1",
                          region=demo["dc_th"], title="测试")


def test_the_test_procedure_lints_clean():
    assert lint(_spec()) == []
    assert lint(_spec(2, extra_step=True)) == []


def test_a_check_that_refuses_stores_no_file_and_writes_nothing(spec, demo, user):
    case = _opened(user, demo)
    with pytest.raises(RuleError) as refused:
        gate.perform_action(actor=user("dc_th_committee_member"), case_id=case.pk,
                            action="apply", data={"note": "不行"},
                            files={"document": upload_pdf()})
    assert refused.value.code == "not_ok"
    assert _stored_files() == []
    assert not Attachment.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert (case.event_count, case.current_step) == (1, "apply")


def test_a_failure_after_the_file_was_stored_removes_it(spec, demo, user):
    case = _opened(user, demo)
    with pytest.raises(RuleError) as refused:
        gate.perform_action(actor=user("dc_th_committee_member"), case_id=case.pk,
                            action="apply", data={"note": "boom"},
                            files={"document": upload_pdf()})
    assert refused.value.code == "late_failure"
    assert _stored_files() == []
    assert not CaseEvent.objects.filter(case=case, action="apply").exists()


def test_an_accepted_action_keeps_its_file(spec, demo, user):
    case = _opened(user, demo)
    gate.perform_action(actor=user("dc_th_committee_member"), case_id=case.pk,
                        action="apply", data={"note": "ok"}, files={"document": upload_pdf()})
    att = Attachment.objects.get(case=case)
    assert [p.name for p in _stored_files()] == [os.path.basename(att.file.name)]


def test_a_side_action_between_reading_and_locking_makes_the_later_action_a_conflict(
        spec, demo, user, monkeypatch, clock):
    member, director = user("dc_th_committee_member"), user("dc_th_committee_director")
    case = _opened(user, demo)
    gate.perform_action(actor=member, case_id=case.pk, action="apply", data={"note": "ok"},
                        files={"document": upload_pdf()})
    clock.shift(3 * 86400)  # the window has ended: only the objection can stop the finish
    real_clean = gate.clean_data

    def objection_meanwhile(*args, **kwargs):
        # a villager's objection is recorded by another cadre after the finishing action
        # read the case (and found no objection) but before it locked the row
        monkeypatch.setattr(gate, "clean_data", real_clean)
        gate.perform_action(actor=director, case_id=case.pk, action="record_objection",
                            data={"content": "公示内容有误", "raised_by": "村民"})
        return real_clean(*args, **kwargs)

    monkeypatch.setattr(gate, "clean_data", objection_meanwhile)
    with pytest.raises(Conflict):
        gate.perform_action(actor=member, case_id=case.pk, action="finish")
    case.refresh_from_db()
    assert case.current_step == "publicity"
    assert Objection.objects.filter(notice__case=case, answered_at__isnull=True).count() == 1
    with pytest.raises(RuleError) as refused:  # read again, it is the objection that stops it
        gate.perform_action(actor=member, case_id=case.pk, action="finish")
    assert refused.value.code == "objection_unanswered"


def test_an_old_case_finishes_on_its_own_version_and_a_new_case_takes_the_new_one(
        demo, user, clock):
    member = user("dc_th_committee_member")

    def through_publicity(case: Case) -> None:
        gate.perform_action(actor=member, case_id=case.pk, action="apply",
                            data={"note": "ok"}, files={"document": upload_pdf()})

    with registry.override(_spec(1)):
        old = _opened(user, demo)
        through_publicity(old)
        with registry.override(_spec(2, extra_step=True)):
            assert registry.get("98.1").version == 2
            assert [s.version for s in registry.versions("98.1")] == [1, 2]
            new = _opened(user, demo)
            through_publicity(new)
            clock.shift(3 * 86400)
            gate.perform_action(actor=member, case_id=old.pk, action="finish")
            gate.perform_action(actor=member, case_id=new.pk, action="finish")
            old.refresh_from_db()
            new.refresh_from_db()
            assert (old.version, old.state, old.current_step) == (1, "closed", "")
            assert (new.version, new.state, new.current_step) == (2, "open", "review")
            assert Task.objects.get(case=new, state="open").step == "review"
            gate.perform_action(actor=member, case_id=new.pk, action="done",
                                data={"opinion": "无误"})
            new.refresh_from_db()
            assert new.state == "closed"


def test_a_case_whose_version_is_gone_is_refused_not_crashed(demo, user):
    member = user("dc_th_committee_member")
    with registry.override(_spec(1)):
        case = _opened(user, demo)
    with registry.override(_spec(2, extra_step=True)):
        Case.objects.filter(pk=case.pk).update(version=7)
        with pytest.raises(RuleError) as refused:
            gate.perform_action(actor=member, case_id=case.pk, action="apply",
                                data={"note": "ok"}, files={"document": upload_pdf()})
    assert refused.value.code == "unknown_procedure"


def test_registering_a_changed_spec_under_the_same_version_is_refused():
    with registry.override(_spec(1)), pytest.raises(ValueError, match="new version"):
        registry.register(_spec(1, extra_step=True))


def test_the_lint_checks_the_steps_an_effect_reads():
    reader = effect("tests.reads_nothing_there", check=lambda ctx: None, reads=("nowhere",))
    broken = _spec()
    step = broken.steps[0]
    action = step.actions[0]
    from dataclasses import replace

    broken = replace(broken, steps=(replace(step, actions=(
        replace(action, effects=(reader,)),)), *broken.steps[1:]))
    assert "apply.apply: effect tests.reads_nothing_there reads unknown step nowhere" in \
        lint(broken)


def test_side_actions_are_listed_after_the_ways_forward(spec, demo, user):
    case = _opened(user, demo)
    gate.perform_action(actor=user("dc_th_committee_member"), case_id=case.pk,
                        action="apply", data={"note": "ok"}, files={"document": upload_pdf()})
    from workflows.acting import available_actions

    case.refresh_from_db()
    kinds = [o.action.kind for o in available_actions(user("dc_th_committee_member"), case)]
    assert kinds[0] == Kind.FORWARD and set(kinds[1:]) == {Kind.SIDE}
