"""The appointment refuses on its own when no joint vetting passed, whatever led to it."""

import datetime as dt
from types import SimpleNamespace

import pytest

from core.errors import RuleError
from personnel.effects import APPOINT_RESERVE, HIRE_STAFF
from personnel.models import Appointee, JointVetting
from tests.personnel.helpers import WANG, open_appointment, people, propose, to_vetting, vet
from workflows.models import Case


def ctx_for(case_id, **data):
    return SimpleNamespace(case=Case.objects.get(pk=case_id), data=data, scratch={})


@pytest.mark.parametrize("effect", [APPOINT_RESERVE, HIRE_STAFF], ids=lambda e: e.name)
def test_no_appointment_without_a_passed_joint_vetting(demo, clock, effect):
    case = open_appointment(demo)
    propose(case, track="militia", nominees=people(("王建国", WANG, "民兵连长")))
    to_vetting(case)
    data = {"appointed_on": dt.date(2026, 11, 2), "start_on": dt.date(2026, 11, 2)}
    with pytest.raises(RuleError) as refused:
        effect.check(ctx_for(case.id, **data))
    assert refused.value.code == "vetting_not_passed"
    case = Case.objects.get(pk=case.id)
    JointVetting.objects.create(case=case, region=case.region, vetted_on=dt.date(2026, 11, 2),
                                result="failed", opinion="有信访记录", vetted_by="纪委")
    with pytest.raises(RuleError) as refused:
        effect.check(ctx_for(case.id, **data))
    assert refused.value.code == "vetting_not_passed"
    assert not Appointee.objects.filter(state="appointed").exists()


def test_a_passed_vetting_lets_the_appointment_through(demo, clock):
    case = open_appointment(demo)
    propose(case, track="militia", nominees=people(("王建国", WANG, "民兵连长")))
    to_vetting(case)
    assert vet(case).status_code == 200
    ctx = ctx_for(case.id, appointed_on=dt.date(2026, 11, 2))
    APPOINT_RESERVE.check(ctx)
    APPOINT_RESERVE.apply(ctx)
    person = Appointee.objects.get(case_id=case.id)
    assert (person.state, person.start_on) == ("appointed", dt.date(2026, 11, 2))
