"""A long procedure's stepper grouped by its stages (issue 12, point 2): 01.1's five stages
as the model text names them, each a collapsible group with its count of done steps, the
current one open; procedures without stages draw as before."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.driver import GATE, drive, open_case
from workflows.registry import registry
from workflows.spec import StepSpec, in_stage
from workflows.wording import placed

# the seed's words (/work/shared/seed/: "申请入党阶段 … 入党积极分子的确定和培养教育阶段 …")
SEED_STAGES = ["申请入党阶段", "入党积极分子的确定和培养教育阶段", "发展对象的确定和考察阶段",
               "预备党员的接收阶段", "预备党员的教育考察和转正阶段"]


def _groups(page: str) -> list[tuple[str, bool, str]]:
    """(stage name, open, count text) of each stage group of a page."""
    found = re.findall(r'<details class="stage[^"]*"( open)?>\s*<summary><span class="stage-name">'
                       r'(.*?)</span> <span class="stage-count">(.*?)</span>', page, re.S)
    return [(name, bool(opened), count) for opened, name, count in found]


def test_recruitment_is_in_the_seeds_five_stages_in_order():
    spec = registry.get("01.1")
    assert spec is not None and spec.staged
    assert [name for name, _steps in spec.stages()] == SEED_STAGES
    assert all(step.stage for step in spec.steps)
    assert spec.stages()[0][1][0].code == "application"
    assert [s.code for s in spec.stages()[-1][1]][-1] == "archive"


def test_in_stage_marks_each_step_and_other_procedures_have_none():
    a = StepSpec(code="a", name="甲", roles=(), level="village", actions=())  # type: ignore[arg-type]
    b = StepSpec(code="b", name="乙", roles=(), level="village", actions=())  # type: ignore[arg-type]
    assert [s.stage for s in in_stage("第一阶段", a, b)] == ["第一阶段", "第一阶段"]
    seal = registry.get("04.2")
    assert seal is not None and not seal.staged
    assert seal.stages() == [("", seal.steps)]


def test_stage_names_are_translated():
    spec = registry.get("01.1")
    assert spec is not None
    with translation.override("en"):
        english = placed(spec, None)
        names = [name for name, _steps in english.stages()]
    assert len(names) == 5 and all(n and not re.search(r"[\u4e00-\u9fff]", n) for n in names)


@pytest.fixture
def recruitment(demo):
    return open_case("01.1", demo["dc_th"], via=GATE).row


def test_the_case_page_groups_the_stepper_with_the_current_stage_open(web, recruitment):
    client = web(recruitment.opened_by.username)
    page = client.get(f"/cases/{recruitment.pk}/").content.decode()
    assert _groups(page) == [
        ("申请入党阶段", True, "已办 0/2"),
        ("入党积极分子的确定和培养教育阶段", False, "已办 0/4"),
        ("发展对象的确定和考察阶段", False, "已办 0/8"),
        ("预备党员的接收阶段", False, "已办 0/6"),
        ("预备党员的教育考察和转正阶段", False, "已办 0/7"),
    ]
    # the steps keep their number in the whole procedure
    assert '<ol class="stepper" start="3">' in page
    assert 'class="all-steps"' not in page  # no second, folded list
    drive(recruitment.pk, via=GATE).do(recruitment.opened_by.username, "register")
    page = client.get(f"/cases/{recruitment.pk}/").content.decode()
    assert _groups(page)[0] == ("申请入党阶段", True, "已办 1/2")


def test_a_procedure_without_stages_draws_as_before(web, demo):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", via=GATE).row
    page = web("dc_th_committee_member").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="stages"' not in page and _groups(page) == []
    assert '<ol class="stepper" aria-label="办理流程">' in page


def test_the_procedure_page_lists_its_flow_by_stage(web):
    client = web("dc_th_branch_secretary")
    page = client.get("/procedures/01.1/").content.decode()
    assert [name for name, _open, _count in _groups(page)] == SEED_STAGES
    assert '<ol class="flow" start="7">' in page
    plain = client.get("/procedures/04.2/").content.decode()
    assert 'data-testid="flow-stages"' not in plain and '<ol class="flow">' in plain

