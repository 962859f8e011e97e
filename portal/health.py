"""``/healthz``: what a load balancer asks before it sends a host traffic — can this process
reach its database and its cache — answered as JSON by django-health-check's checks
(``{"Database(alias='default')": "OK", "Cache(alias='default')": "OK"}``, 200; 500 naming
what failed). It is also the bench's baseline of what one request through the same stack
costs (issue 13)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from health_check.views import HealthCheckView

CHECKS = ("health_check.checks.Database", "health_check.checks.Cache")


class Healthz(HealthCheckView):
    """The JSON answer whatever the Accept header (a balancer sends */*)."""

    checks = CHECKS

    def render_to_response(self, context: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response_json(kwargs.get("status", 200))
