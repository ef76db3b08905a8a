"""Personal API tokens (Wagtail's APIToken) for integrations: created and revoked by their owner."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import APIToken

from core.api import DomainError

TOKEN_NAME_MAX_LENGTH = 60
MAX_ACTIVE_TOKENS = 10


class TokenError(DomainError):
    pass


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[APIToken, str]:
    """Create a token for `user`; returns (token, plaintext). The plaintext exists only in this return value."""
    name = (name or "").strip()
    if not name:
        raise TokenError("invalid_name", _("请填写令牌名称。"))
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise TokenError("invalid_name", _("令牌名称不能超过 %(n)d 个字。") % {"n": TOKEN_NAME_MAX_LENGTH})
    # Lock the owner's row so two concurrent requests cannot both pass the limit check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if APIToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            "too_many_tokens",
            _("每人最多保留 %(n)d 个有效令牌，请先撤销不再使用的令牌。") % {"n": MAX_ACTIVE_TOKENS},
        )
    return APIToken.create_token(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> APIToken:
    """Revoke one of `user`'s own tokens (idempotent). Another user's token counts as not found."""
    token = APIToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise TokenError("not_found", _("没有找到这个令牌。"))
    if token.revoked_at is None:
        token.revoke()
    return token
