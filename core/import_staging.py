"""Upload → preview → confirm, shared by every spreadsheet import (trainees, questions).

Between preview and confirm the uploaded file waits in `default_storage` under `imports/` (never served:
config/urls.py answers 404 there); the confirm form carries a token signed with `django.core.signing`
naming that file, the user who uploaded it and whatever the import needs (a question bank), and the
rows are read and validated again before anything is written. Files of previews nobody confirmed hold
personal data, so they are deleted once their token has expired.
"""

import datetime as dt
import uuid

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.spreadsheets import extension_of

TOKEN_MAX_AGE = 6 * 60 * 60
MAX_ERRORS_SHOWN = 200
MAX_ROWS_SHOWN = 100


class StagingError(DomainError):
    """`forbidden` is True for a forged or foreign token (answer 403), False when the preview just
    went stale (expired, already imported): tell the user to upload again."""

    code = "stale_preview"

    def __init__(self, message: str, *, forbidden: bool = False):
        super().__init__("forbidden" if forbidden else None, message, 403 if forbidden else None)
        self.forbidden = forbidden


def stage(*, user, filename: str, data: bytes, salt: str, prefix: str, **extra) -> str:
    """Keep an uploaded file for confirmation; returns the signed token for the confirm form."""
    _delete_abandoned(prefix)
    name = default_storage.save(f"{prefix}{uuid.uuid4().hex}.{extension_of(filename)}", ContentFile(data))
    return signing.dumps({"file": name, "user": user.pk, "filename": filename, **extra}, salt=salt)


def unstage(token: str, *, user, salt: str, prefix: str) -> tuple[dict, bytes]:
    """The payload and bytes of a staged file, after checking the token belongs to `user`."""
    try:
        payload = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise StagingError(_("预览已过期，请重新上传文件。")) from error
    except signing.BadSignature as error:
        raise StagingError(_("导入请求无效。"), forbidden=True) from error
    if payload.get("user") != user.pk:
        raise StagingError(_("这份文件不是您上传的，不能由您确认导入。"), forbidden=True)
    name = payload.get("file", "")
    if not name.startswith(prefix) or not default_storage.exists(name):
        raise StagingError(_("预览已失效（文件可能已经导入过），请重新上传文件。"))
    with default_storage.open(name, "rb") as stored:
        return payload, stored.read()


def unstage_or_response(request, *, salt: str, prefix: str, restart: str):
    """For a confirm view: `(payload, data, None)`, or `(None, None, response)` — 403 for a forged or
    foreign token, else a message and a redirect to `restart` (a URL name) to upload again."""
    try:
        payload, data = unstage(request.POST.get("token", ""), user=request.user, salt=salt, prefix=prefix)
    except StagingError as error:
        if error.forbidden:
            return None, None, HttpResponseForbidden(error.message)
        messages.error(request, error.message)
        return None, None, redirect(restart)
    return payload, data, None


def discard(payload: dict) -> None:
    default_storage.delete(payload["file"])


def _delete_abandoned(prefix: str) -> None:
    cutoff = timezone.now() - dt.timedelta(seconds=TOKEN_MAX_AGE)
    folder, start = prefix.rsplit("/", 1)
    try:
        _dirs, files = default_storage.listdir(folder)
        for file in files:
            if file.startswith(start) and default_storage.get_modified_time(f"{folder}/{file}") < cutoff:
                default_storage.delete(f"{folder}/{file}")
    except (FileNotFoundError, NotImplementedError, OSError):
        pass  # best effort; a storage without listings keeps them until someone clears imports/


def preview_context(plan, *, filename: str, token: str, errors: list) -> dict:
    """What both preview templates show: the plan's counts, the first errors and rows."""
    return {
        "plan": plan,
        "counts": plan.counts,
        "filename": filename,
        "token": token,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "errors_total": len(errors),
        "error_rows_total": len(plan.error_rows),
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
        "rows": plan.rows[:MAX_ROWS_SHOWN],
        "rows_hidden": max(0, len(plan.rows) - MAX_ROWS_SHOWN),
    }
