"""Celery tasks of the engine. Beat runs the sweep every SWEEP_INTERVAL_SECONDS (settings).

The e-mail task lives beside the notifications it mails (``workflows.notify``);
importing it here registers it with the other tasks.
"""

from __future__ import annotations

from celery import shared_task

from workflows import anchors, chaincheck, sweep, tallies
from workflows.notify import email_notifications

__all__ = ["anchor_chains_task", "check_chains_task", "email_notifications",
           "recount_tallies_task", "sweep_deadlines_task"]


@shared_task(name="workflows.tasks.sweep_deadlines_task")
def sweep_deadlines_task() -> dict[str, int]:
    result = sweep.sweep()
    return {"fired": result.fired, "notifications": result.notifications}


@shared_task(name="workflows.tasks.recount_tallies_task")
def recount_tallies_task() -> dict[str, int]:
    """Nightly: rebuild the dashboard's tallies from the cases (sets any drift right)."""
    totals, months = tallies.recount()
    return {"tallies": totals, "months": months}


@shared_task(name="workflows.tasks.check_chains_task")
def check_chains_task() -> dict[str, int]:
    """Nightly: verify every village's records — chains, the rows that show them, the
    published digests, every stored file re-hashed — and store the result (audit view)."""
    return chaincheck.check_all_villages(files=True)


@shared_task(name="workflows.tasks.anchor_chains_task")
def anchor_chains_task() -> dict[str, int]:
    """Just after midnight: yesterday's chain heads folded into one digest per township,
    kept, shown on its boards and sent to the township (workflows.anchors)."""
    made = anchors.anchor()
    return {"digests": len(made), "cases": sum(d.cases for d in made)}
