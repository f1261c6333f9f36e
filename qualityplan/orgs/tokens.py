"""Personal API tokens: created and revoked by their owner, shown once, stored hashed, expiring.

A token reads ``qp_<8-char prefix>_<secret>``; only its SHA-256 is stored (the secret has 256 bits of entropy, so a
fast hash is enough). ``qualityplan.api.authentication.ApiTokenAuthentication`` accepts
``Authorization: Token <token>`` (or ``Bearer``). Tokens of ``rest_framework.authtoken`` are converted by the
migration ``orgs.0002`` and keep working until they expire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import BaseModel

PREFIX = "qp_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_l("用户")
    )
    name = models.CharField(_l("用途"), max_length=100)
    prefix = models.CharField(_l("令牌前缀"), max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_l("有效期至"))
    last_used_at = models.DateTimeField(_l("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_l("撤销时间"), null=True, blank=True)

    scope_unit_field = "user__unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _l("API 令牌")
        verbose_name_plural = _l("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}… {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now()


def api_token_create(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (their own); returns the row and the raw token, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写令牌用途。"), {"field": "name"})
    if len(name) > 100 or not name.isprintable():
        raise ApplicationError(_("令牌用途最多 100 个字符，且不能含控制字符。"), {"field": "name"})
    max_days = settings.API_TOKEN_MAX_DAYS
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= max_days:
        raise ApplicationError(
            _("有效期应为 1 至 %(max)s 天。") % {"max": max_days}, {"field": "days", "max": max_days}
        )
    prefix = secrets.token_hex(4)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=token_hash(raw), expires_at=clock.now() + dt.timedelta(days=days)
    )
    return token, raw


def api_token_revoke(*, user, token: ApiToken) -> ApiToken:
    """Revoke one of ``user``'s own tokens (idempotent)."""
    if token.user_id != user.pk:
        raise ApplicationError(_("只能撤销本人的令牌。"), {"field": "token"})
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def _legacy_token_convert(raw: str) -> ApiToken | None:
    """A key of ``rest_framework.authtoken`` (made after the migration, e.g. by ``drf_create_token``): converted on
    first use into a hashed, expiring token with the same key; the plain-text row is deleted."""
    from django.apps import apps

    if not apps.is_installed("rest_framework.authtoken"):
        return None
    from rest_framework.authtoken.models import Token

    legacy = Token.objects.filter(key=raw).first()
    if legacy is None:
        return None
    token = ApiToken.objects.create(
        user_id=legacy.user_id,
        name="rest_framework.authtoken",
        prefix=raw[:8],
        key_hash=token_hash(raw),
        expires_at=clock.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    legacy.delete()
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token for ``raw`` (records its use at most once a minute), or ``None``."""
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    if token is None and len(raw) == 40:
        token = _legacy_token_convert(raw)
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # bookkeeping, not a change worth auditing
    return token


def api_tokens_of(*, user):
    return ApiToken.objects.filter(user=user)
