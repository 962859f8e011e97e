"""Two people act on the same step at once on PostgreSQL: one wins, the other gets 409."""

import threading

import pytest
from django.db import connection

from core.errors import Conflict
from tests.conftest import requires_postgres
from tests.samples import upload_pdf
from workflows import gate
from workflows.models import CaseEvent, Task


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_wins(demo, user):
    from core.models import Membership

    deputy = user("dc_th_branch_deputy")
    Membership.objects.create(user=deputy, region=demo["dc_th"], role="committee_director")
    applicant = user("dc_th_grid_worker")
    case = gate.open_case(actor=applicant, procedure="04.2", region=demo["dc_th"], title="证明")
    gate.perform_action(actor=applicant, case_id=case.pk, action="apply",
                        data={"purpose": "证明", "matter": "routine", "copies": 1},
                        files={"document": upload_pdf()})
    approvers = [user("dc_th_committee_director"), user("dc_th_branch_deputy")]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def approve(actor):
        try:
            barrier.wait()
            gate.perform_action(actor=actor, case_id=case.pk, action="approve", data={},
                                expected_step="approve")
            results.append("ok")
        except Conflict:
            results.append("409")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(a,)) for a in approvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["409", "ok"]
    assert CaseEvent.objects.filter(case=case, action="approve").count() == 1
    assert Task.objects.filter(case=case, state="open").count() == 1
    assert Task.objects.get(case=case, state="open").step == "stamp"
