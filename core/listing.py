"""Lists inside a message, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def listed(items: Iterable[object]) -> str:
    """Items of a list in one line: "张三、李四" / "Zhang San, Li Si"."""
    return pgettext("list separator", "、").join(str(item) for item in items)
