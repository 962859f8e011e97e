"""Fixtures shared by the engine's tests and its pages' tests."""

from __future__ import annotations

import pytest

from tests.driver import GATE, drive, open_case
from tests.samples import upload_pdf
from workflows.models import Case


@pytest.fixture
def waiting(demo, clock) -> Case:
    """A 04.2 seal use applied for by the committee member, waiting at 审批 for the director
    (the case a 催办 is tried on)."""
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明用印",
                     via=GATE).row
    drive(case.pk, via=GATE).do("dc_th_committee_member", "apply", samples=False,
                                purpose="证明", matter="routine", copies=1,
                                document=upload_pdf())
    case.refresh_from_db()
    assert case.current_step == "approve"
    return case
