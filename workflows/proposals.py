"""Values the portal proposes for a field from the case's own records (contract 5,
``default``): the rows of an earlier step a later one answers row by row (each measure of a
rectification plan), the amounts a roster or a ledger already fixes (a subsidy's payees, a
month's dues total). A domain registers a proposer under a code from its ``procedures``
module; a field names it in ``default_from``. The schema sends the value as ``default``, the
form starts from it, and the gate checks what is sent as always: a proposal is a starting
point, never a way around a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# proposer(case) -> the value (None: nothing to propose yet)
Proposer = Callable[[Any], Any]

_PROPOSERS: dict[str, Proposer] = {}


def register_proposal(code: str, proposer: Proposer) -> str:
    """Register ``proposer`` under ``code`` (once; the same function again is a no-op)."""
    known = _PROPOSERS.get(code)
    if known is not None and known is not proposer:
        raise ValueError(f"proposal {code} registered twice")
    _PROPOSERS[code] = proposer
    return code


def proposal(code: str, case: Any) -> Any:
    """What ``code`` proposes for ``case`` now (None for an unknown code or nothing)."""
    proposer = _PROPOSERS.get(code)
    return proposer(case) if proposer is not None else None


def known(code: str) -> bool:
    return code in _PROPOSERS


__all__ = ["Proposer", "known", "proposal", "register_proposal"]
