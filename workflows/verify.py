"""Verification of one case's record: its chain and its head on the case row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workflows.audit import verify_chain


def verify_case_events(case: Any, events: Sequence[Any]) -> str | None:
    problem = verify_chain(events)
    if problem:
        return problem
    if len(events) != case.event_count:
        return f"记录条数不符:应有{case.event_count}条,实有{len(events)}条"
    head = events[-1].hash if events else ""
    if head != case.last_hash:
        return "最后一条记录的哈希与事项不符(记录可能被删除或替换)"
    return None
