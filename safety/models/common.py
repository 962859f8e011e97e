"""Helpers shared by the safety registers."""

from __future__ import annotations


def mask_id(number: str) -> str:
    """Keep the first 6 and the last 4 digits: 330299********1234."""
    if len(number) <= 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
