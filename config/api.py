"""API v1 (django-ninja): one NinjaAPI, JSON errors with a Chinese message and a stable code.

Authentication: the site's own JavaScript uses the session (with CSRF); integrations send a personal
token (`Authorization: Bearer …`, Wagtail's APIToken, created and revoked at /me/tokens/).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth

from assessments.api_views import router as assessments_router
from core.api import DomainError
from learning.api_views import router as learning_router
from orgs.api import ensure_own_password
from stats.api_views import router as stats_router


class OwnPasswordSessionAuth(SessionAuth):
    """An imported account still on the shared initial password gets 403 password_change_required. (A
    token needs no such check: tokens are made on /me/tokens/, which that account cannot reach before
    changing its password, and only an import sets the flag, on the accounts it creates.)"""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user:
            ensure_own_password(user, request.session)
        return user


api = NinjaAPI(
    title="社区干部网络学院 API",
    version="1.0.0",
    description="学员学习数据接口。错误响应统一为 {\"code\": 稳定的英文代码, \"message\": 中文说明}。",
    urls_namespace="api-v1",
    auth=[BearerTokenAuth(), OwnPasswordSessionAuth(csrf=True)],
    docs_url="/docs",
)
api.add_router("/", learning_router)
api.add_router("/", assessments_router)
api.add_router("/stats", stats_router)


def error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return error(request, 401, "unauthorized", _("请先登录，或在请求头中提供有效的 API 令牌。"))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields = [".".join(str(p) for p in e.get("loc", [])[1:]) or "body" for e in exc.errors]
    return error(request, 422, "invalid_input", _("请求数据格式不正确：%(fields)s") % {"fields": "、".join(fields)},
                 errors=exc.errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", _("请求的对象不存在。"))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error(request, 400, "invalid_json", _("请求体不是有效的 JSON。"))
    code = getattr(exc, "code", None) or {403: "forbidden", 404: "not_found", 429: "rate_limited"}.get(
        exc.status_code, "error"
    )
    return error(request, exc.status_code, code, str(exc))


@api.exception_handler(DomainError)
def _refused(request, exc):
    """Every domain's refusal (a replayed heartbeat, a closed quiz, …) with its own code and status."""
    return error(request, exc.status, exc.code, exc.message)
