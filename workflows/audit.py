"""The hash chain of case events."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


def event_payload(event: Any) -> dict[str, Any]:
    return {
        "case": event.case_id,
        "seq": event.seq,
        "actor": event.actor_id,
        "role": event.role,
        "region": event.region_id,
        "action": event.action,
        "from": event.from_step,
        "to": event.to_step,
        "data": event.data,
        "comment": event.comment,
        "attachments": event.attachments,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "prev": event.prev_hash,
    }


def event_hash(event: Any) -> str:
    return hashlib.sha256(canonical(event_payload(event))).hexdigest()


def verify_chain(events: Iterable[Any]) -> str | None:
    """None when the events (in seq order) chain correctly, else what is wrong."""
    prev = ""
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return f"第{expected_seq}条记录缺失(seq {event.seq})"
        if event.prev_hash != prev:
            return f"第{event.seq}条记录的前序哈希不符"
        if event_hash(event) != event.hash:
            return f"第{event.seq}条记录内容已被改动(哈希不符)"
        prev = event.hash
        expected_seq += 1
    return None
