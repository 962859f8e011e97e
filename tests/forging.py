"""Changing the record behind the portal's back, as someone holding the database would."""

from __future__ import annotations

from typing import Any

from django.db import connection


def tamper(sql: str, params: list[Any]) -> None:
    """Run ``sql`` directly; on PostgreSQL with the event log's append-only triggers out of
    the way, as the table's owner could (the test's deferred FK checks run first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE workflows_caseevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE workflows_caseevent ENABLE TRIGGER USER")
