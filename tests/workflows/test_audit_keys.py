"""The chain's keys: HMAC under AUDIT_KEY, the key's id in every event, a new key a new epoch
(old events verify under theirs), and ``event_hash`` on unsaved events (the bench's)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tests.portal.pages import scenario
from workflows import audit
from workflows.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

OLD = "test-audit-key-0123456789abcdef0123456789abcdef"  # the test settings' key, id "test"
NEW = "a-new-key-of-the-next-epoch-0123456789abcdef"
ROTATED = {"AUDIT_KEY": NEW, "AUDIT_KEY_ID": "2027", "AUDIT_KEYS": {"test": OLD}}


def test_an_event_is_an_hmac_of_everything_shown_under_its_key(demo):
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    events = list(CaseEvent.objects.filter(case_id=case_id).order_by("seq"))
    assert {e.key_id for e in events} == {"test"}
    payload = audit.event_payload(events[1])
    for key in ("actor_name", "action_name", "role", "data", "attachments", "facts", "at",
                "prev", "key"):
        assert key in payload
    assert events[0].facts["case"]["title"] == "出具居住证明"
    assert events[-1].facts["seal_use"]["number"] == 1
    closed = Case.objects.get(pk=case_id)
    assert events[-1].facts["closed"] == {"state": "closed", "outcome": closed.outcome}
    with override_settings(AUDIT_KEY="another-key-entirely-0123456789abcdef"):
        assert audit.event_hash(events[1]) != events[1].hash  # same id, another key


def test_a_new_key_starts_an_epoch_and_old_events_verify_under_theirs(demo):
    old_case = scenario.seal_case(demo["dc_th"], "dc_th", "出具收入证明", finish=False)
    with override_settings(**ROTATED):
        old_case.do("dc_th_committee_director", "approve", samples=False, opinion="同意")
        new_case = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
        keys = list(CaseEvent.objects.filter(case_id=old_case.id).order_by("seq")
                    .values_list("key_id", flat=True))
        assert keys == ["test", "test", "2027"]
        assert set(CaseEvent.objects.filter(case_id=new_case).values_list("key_id", flat=True)) \
            == {"2027"}
        call_command("verify_audit", stdout=io.StringIO())
        out = io.StringIO()
        call_command("verify_audit", "--keys", stdout=out)
        assert "epoch 0: key test: 2 events" in out.getvalue()
        assert "epoch 1: key 2027 (current): 5 events" in out.getvalue()


def test_events_of_a_key_no_longer_held_do_not_verify(demo, capsys):
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    with override_settings(AUDIT_KEY=NEW, AUDIT_KEY_ID="2027", AUDIT_KEYS={}), \
            pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
    assert f"case {case_id} " in capsys.readouterr().err


def test_an_old_key_cannot_sign_after_a_newer_one():
    """Whoever kept a retired key cannot append to a chain of the newer epoch with it."""
    events = []
    prev = ""
    for seq, key_id in enumerate(["test", "2027", "test"], start=1):
        event = CaseEvent(case_id=1, seq=seq, actor_id=None, actor_name="系统", role="",
                          region_id=None, action="open" if seq == 1 else "note",
                          action_name="", from_step="", to_step="s", data={}, comment="",
                          attachments=[], facts={}, at=timezone.now(), prev_hash=prev,
                          key_id=key_id)
        with override_settings(**ROTATED):
            event.hash = audit.event_hash(event)
        events.append(event)
        prev = event.hash
    with override_settings(**ROTATED):
        assert audit.verify_chain(events[:2]) is None
        assert "旧密钥签名" in (audit.verify_chain(events) or "")


def test_event_hash_works_on_an_unsaved_event_and_names_the_current_key():
    event = CaseEvent(case_id=7, seq=1, actor_name="系统", action="open", at=timezone.now())
    assert event.key_id == "test"  # the field's default: the key in force
    event.key_id = ""
    digest = audit.event_hash(event)
    assert event.key_id == "test" and len(digest) == 64
    with override_settings(AUDIT_KEY_ID=""):
        assert audit.current_key_id() == audit.fingerprint(OLD)
        assert audit.current_key_id().startswith("k")
