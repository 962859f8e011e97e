"""The keyed hash chain of case events (contract 8).

Each event's ``hash`` is an HMAC-SHA256, under the audit key, of everything a person
reads about it — who acted (id and name), under which role and where, the action
(code and name), the steps, the data, the comment, the attachments' SHA-256, the facts
derived at that moment (``CaseEvent.facts``: the publicity window it opened, the
meeting's computed result, a domain's register line), its time — and of the previous
event's hash. The key lives in the environment (``AUDIT_KEY``), never in the database:
someone holding only the database can change a row, but cannot compute the hash that
would make the change, nor re-chain the events after it.

Keys and epochs: every event records the id of the key that signed it (``key_id``). A
new key starts a new epoch: events from then on are signed with it, and the keys of
earlier epochs (``AUDIT_KEYS``, oldest first) are kept only to verify the events they
signed. Within a chain the epochs never go back (an event signed with an older key
after one signed with a newer key does not verify).

``event_hash`` takes any object with the event's attributes (an unsaved ``CaseEvent``
as the bench generator builds them included).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

PAYLOAD_VERSION = 2


class UnknownKey(LookupError):
    """An event (or a digest) names a key this installation does not hold."""


@dataclass(frozen=True)
class Keyring:
    """The keys this installation holds: the current one, and those of earlier epochs."""

    current_id: str
    keys: tuple[tuple[str, bytes], ...]  # (id, key), oldest epoch first, the current last

    def key(self, key_id: str) -> bytes:
        for known, key in self.keys:
            if known == key_id:
                return key
        raise UnknownKey(key_id)

    def rank(self, key_id: str) -> int | None:
        """The epoch of a key (0 the oldest), None for a key not held."""
        return next((i for i, (known, _) in enumerate(self.keys) if known == key_id), None)

    @property
    def ids(self) -> list[str]:
        return [known for known, _ in self.keys]


def fingerprint(key: str) -> str:
    """The default id of a key: a short digest of it (reveals nothing usable of the key)."""
    return "k" + hashlib.sha256(b"portal-audit-key-id\0" + key.encode("utf-8")).hexdigest()[:11]


@functools.lru_cache(maxsize=8)
def _keyring(current: str, current_id: str, older: tuple[tuple[str, str], ...]) -> Keyring:
    key_id = current_id or fingerprint(current)
    keys = [(k, v.encode("utf-8")) for k, v in older if k != key_id]
    keys.append((key_id, current.encode("utf-8")))
    return Keyring(current_id=key_id, keys=tuple(keys))


def keyring() -> Keyring:
    """The keys in force (read from the settings each time: tests may change them)."""
    older = getattr(settings, "AUDIT_KEYS", {}) or {}
    return _keyring(str(settings.AUDIT_KEY), str(getattr(settings, "AUDIT_KEY_ID", "") or ""),
                    tuple((str(k), str(v)) for k, v in older.items()))


def current_key_id() -> str:
    """The id of the key that signs new events (``CaseEvent.key_id``'s default)."""
    return keyring().current_id


def canonical(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


def moment(value: dt.datetime) -> str:
    """A time as the chain records it: UTC, to the microsecond."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_payload(event: Any) -> dict[str, Any]:
    """What the hash of an event covers: every field a person reads, and the chain."""
    return {
        "v": PAYLOAD_VERSION,
        "key": event.key_id,
        "case": event.case_id,
        "seq": event.seq,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "region": event.region_id,
        "action": event.action,
        "action_name": event.action_name,
        "from": event.from_step,
        "to": event.to_step,
        "data": event.data,
        "comment": event.comment,
        "attachments": event.attachments,
        "facts": event.facts or {},
        "at": moment(event.at),
        "prev": event.prev_hash,
    }


def mac(message: bytes, key_id: str | None = None) -> str:
    """HMAC-SHA256 of ``message`` under a held key (the current one by default)."""
    ring = keyring()
    key = ring.key(key_id or ring.current_id)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def event_hash(event: Any) -> str:
    """The event's HMAC under the key it names (``event.key_id``; the current key when it
    names none, which is then recorded on the event). Raises ``UnknownKey``."""
    if not getattr(event, "key_id", ""):
        event.key_id = current_key_id()
    return mac(canonical(event_payload(event)), event.key_id)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def verify_chain(events: Iterable[Any]) -> str | None:
    """None when the events (in seq order) chain correctly under their keys, else what is
    wrong, in the words the audit page shows."""
    ring = keyring()
    prev = ""
    expected_seq = 1
    epoch = 0
    for event in events:
        if event.seq != expected_seq:
            return f"第{expected_seq}条记录缺失(seq {event.seq})"
        if event.prev_hash != prev:
            return f"第{event.seq}条记录的前序哈希不符"
        rank = ring.rank(event.key_id)
        if rank is None:
            return (f"第{event.seq}条记录由本系统没有的密钥({event.key_id or '无'})签名,"
                    f"无法校验(见 AUDIT_KEYS)")
        if rank < epoch:
            return f"第{event.seq}条记录用已停用的旧密钥签名,却排在新密钥签名的记录之后"
        epoch = rank
        if not same(event_hash(event), event.hash):
            return f"第{event.seq}条记录内容已被改动(签名不符)"
        prev = event.hash
        expected_seq += 1
    return None


__all__ = ["Keyring", "UnknownKey", "canonical", "current_key_id", "event_hash",
           "event_payload", "fingerprint", "keyring", "mac", "moment", "same", "verify_chain"]
