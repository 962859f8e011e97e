"""Members of a demo village's party register as a ``ref="party_member"`` field names them:
the entry's id (as text), looked up by name (the demo's names are unique in a village)."""

from __future__ import annotations

from typing import Any

from core.models import Region
from party.models import PartyMember
from tests.samples import meeting_roll

TAOHUA = "330299101201"  # 桃花村


def pm(name: str, village: Region | str = TAOHUA) -> str:
    """The value a ref field takes for the member ``name`` of ``village`` (桃花村)."""
    where = {"region": village} if isinstance(village, Region) else {"region__code": village}
    return str(PartyMember.objects.get(name=name, **where).pk)


def pick(name: str, village: Region | str = TAOHUA) -> dict[str, str]:
    """The same as an object (``{"id": …}``), as a client may also send it."""
    return {"id": pm(name, village)}


def absent(d, username: str, present: int, reason: str = "病假", *, action: str | None = None,
           **values: Any) -> list[dict[str, str]]:
    """The absentee rows (请假登记) of a meeting sent as ``meeting(present=N)``: every voter of
    the roll the action's meeting field gives (for ``values``, e.g. ``motion``) after the
    first ``present`` — those the driver ticks — each with ``reason``. A roll value is
    ``<kind>:<id>``; the absentee column takes the id."""
    fields = next(a["fields"] for a in d.actions(username)
                  if (a["code"] == action if action else a["kind"] == "forward"))
    field = next(f for f in fields if f["type"] == "meeting")
    members = meeting_roll(field, values)["members"][present:]
    return [{"member": m["value"].split(":", 1)[1], "reason": reason} for m in members]
