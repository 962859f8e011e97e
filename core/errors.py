"""Domain refusals. The gate raises them; views and the API turn them into messages.

Every refusal has a stable ``code`` (contract 5) and a ``detail`` in the active language
(the request's, or Chinese in Celery and commands): raisers pass ``gettext(...)`` evaluated at
raise time, and the defaults below are translated when a refusal is made, not when this
module is imported.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext


class RuleError(Exception):
    """A broken rule: nothing was changed. HTTP 400 unless a subclass says otherwise."""

    http_status = 400

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        field: str | None = None,
        not_before: dt.datetime | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field
        self.not_before = not_before
        self.extra = extra or {}

    def as_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "detail": self.detail}
        if self.field:
            body["field"] = self.field
        if self.not_before is not None:
            body["not_before"] = timezone.localtime(self.not_before).isoformat()
        body.update(self.extra)
        return body


class NotAllowed(RuleError):
    """In scope, but this user may not do this (HTTP 403)."""

    http_status = 403

    def __init__(self, detail: str | None = None, code: str = "permission_denied") -> None:
        super().__init__(code, detail or gettext("您无权执行此操作。"))


class Conflict(RuleError):
    """Someone else acted on this step first (HTTP 409)."""

    http_status = 409

    def __init__(self, detail: str | None = None) -> None:
        super().__init__("conflict", detail or gettext("该步骤已由他人办理,请刷新后查看。"))


class AlreadyNudged(RuleError):
    """This person has already nudged the holders of this task today (HTTP 409): a nudge
    can be sent again from ``not_before`` (the start of the next local day)."""

    http_status = 409

    def __init__(self, detail: str, *, not_before: dt.datetime) -> None:
        super().__init__("already_nudged", detail, not_before=not_before)


class OutOfScope(RuleError):
    """Missing, or outside the user's places (HTTP 404: indistinguishable)."""

    http_status = 404

    def __init__(self) -> None:
        super().__init__("not_found", gettext("未找到。"))
