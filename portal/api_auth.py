"""API authentication: tokens that expire (contract 5: an expired token is 401)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        ttl = timedelta(hours=settings.API_TOKEN_TTL_HOURS)
        if token.created < timezone.now() - ttl:
            raise exceptions.AuthenticationFailed("令牌已过期,请重新获取。")
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
