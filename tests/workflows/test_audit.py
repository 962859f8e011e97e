"""The append-only, hash-chained case record and verify_audit (contract 8)."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.conftest import requires_postgres
from tests.forging import tamper
from tests.seals.helpers import applied
from workflows.models import CaseEvent


@pytest.fixture
def finished(demo):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    case.do("dc_th_committee_director", "approve", samples=False, opinion="同意")
    case.do("dc_th_seal_keeper", "stamp", samples=False, copies_stamped=1, papers_kept=True)
    return case.id


def test_events_chain_and_verify(finished, capsys):
    events = list(CaseEvent.objects.filter(case_id=finished).order_by("seq"))
    assert [e.action for e in events] == ["open", "apply", "approve", "stamp"]
    assert events[0].prev_hash == ""
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert events[1].attachments[0]["sha256"] and len(events[1].attachments[0]["sha256"]) == 64
    call_command("verify_audit")
    assert "ok" in capsys.readouterr().out


def test_model_refuses_update_and_delete(finished):
    event = CaseEvent.objects.filter(case_id=finished).first()
    event.comment = "改写"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_verify_audit_names_a_tampered_case(finished, capsys):
    event = CaseEvent.objects.get(case_id=finished, seq=2)
    tamper("UPDATE workflows_caseevent SET comment = %s WHERE id = %s", ["伪造", event.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"case {finished}" in capsys.readouterr().err


def test_verify_audit_notices_a_deleted_last_event(finished, capsys):
    event = CaseEvent.objects.get(case_id=finished, seq=4)
    tamper("DELETE FROM workflows_caseevent WHERE id = %s", [event.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"case {finished}" in capsys.readouterr().err


@requires_postgres
def test_postgres_trigger_refuses_update_and_delete(finished):
    event = CaseEvent.objects.filter(case_id=finished).first()
    for sql in ("UPDATE workflows_caseevent SET comment = 'x' WHERE id = %s",
                "DELETE FROM workflows_caseevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).comment == event.comment
