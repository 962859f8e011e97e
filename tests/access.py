"""One check for "missing and out of scope are the same 404" (design.md, Visibility): the
answers to an address that names nothing and to one that names another village's row
must not tell them apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

MISSING = 999_999_999


def same_404(client: Any, missing: str, out_of_scope: str) -> None:
    """Both addresses answer 404 with the same body (each address itself left out)."""
    answers = [client.get(url) for url in (missing, out_of_scope)]
    assert [a.status_code for a in answers] == [404, 404], (missing, out_of_scope)
    bodies = [_body(a).replace(url, "<url>") for a, url in zip(answers, (missing, out_of_scope),
                                                                strict=True)]
    assert bodies[0] == bodies[1]


def _body(answer: Any) -> str:
    if getattr(answer, "streaming", False):
        return b"".join(answer.streaming_content).decode()
    return answer.content.decode()


def raises_alike(helper: Any, user: Any, missing: Any, out_of_scope: Any) -> None:
    """``helper(user, x)`` raises the same Http404 for a missing row and another village's."""
    raised = []
    for value in (missing, out_of_scope):
        with pytest.raises(Http404) as refused:
            helper(user, value)
        raised.append(refused.value.args)
    assert raised[0] == raised[1]
