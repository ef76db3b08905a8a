"""Trainee import in the Wagtail admin: upload → preview (dry run) → confirm. Thin: parse, call, render.

Between preview and confirm the uploaded file waits in `default_storage` under `imports/<random>.<ext>`;
the confirm form carries a signed token naming that file and the administrator who uploaded it, and the
rows are validated again inside the import transaction.
"""

import datetime as dt
import io
import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning import scoping
from learning.imports import (
    COLUMN_LABELS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportPlan,
    extension_of,
    read_rows,
    validate_rows,
)
from learning.models import TraineeProfile
from learning.services import TraineeImportError, initial_password, trainee_import

TOKEN_SALT = "learning.trainee_import"
TOKEN_MAX_AGE = 6 * 60 * 60
MAX_ERRORS_SHOWN = 200
MAX_ROWS_SHOWN = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TraineeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("导入文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV 文件，不超过 5 MB、20000 行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension_of(upload.name) not in ("xlsx", "csv"):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件。"))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB，请拆分成几个文件分批导入。"))
        return upload


def _forbidden(request):
    if scoping.is_org_admin(request.user):
        return None
    return HttpResponseForbidden(_("只有组织管理员可以导入学员。"))


@require_http_methods(["GET", "POST"])
def upload(request):
    if denied := _forbidden(request):
        return denied
    form = TraineeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = uploaded.read()
        try:
            parsed = read_rows(uploaded.name, data)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            plan = validate_rows(admin_user=request.user, parsed=parsed)
            token = _keep_for_confirmation(request.user, uploaded.name, data) if plan.ok else ""
            return render(request, "learning/admin/import_preview.html",
                          _preview_context(plan, filename=uploaded.name, token=token))
    return render(request, "learning/admin/import_upload.html", {
        "form": form, "max_rows": MAX_ROWS, "initial_password": initial_password(),
        "positions": [label for _value, label in TraineeProfile.Position.choices],
    })


@require_POST
def confirm(request):
    if denied := _forbidden(request):
        return denied
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        messages.error(request, _("预览已过期，请重新上传文件。"))
        return redirect("learning_trainee_import")
    except signing.BadSignature:
        return HttpResponseForbidden(_("导入请求无效。"))
    if payload.get("user") != request.user.pk:
        return HttpResponseForbidden(_("这份文件不是您上传的，不能由您确认导入。"))
    name, filename = payload["file"], payload["filename"]
    if not default_storage.exists(name):
        messages.error(request, _("预览已失效（文件可能已经导入过），请重新上传文件。"))
        return redirect("learning_trainee_import")
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    try:
        counts = trainee_import(admin_user=request.user, parsed=read_rows(name, data))
    except (ImportFileError, TraineeImportError) as exc:
        default_storage.delete(name)
        messages.error(request, exc.message)
        errors = getattr(exc, "errors", [])
        if not errors:
            return redirect("learning_trainee_import")
        return render(request, "learning/admin/import_preview.html",
                      _preview_context(ImportPlan(rows=[], errors=errors), filename=filename, token=""))
    default_storage.delete(name)
    messages.success(request, _("导入完成：新增 %(created)s 人，更新 %(updated)s 人，无变化 %(unchanged)s 人。") % counts)
    return redirect("learning_trainee_import")


@require_GET
def template_xlsx(request):
    """The import template: the header row, one example row, and the organisation codes in scope."""
    if denied := _forbidden(request):
        return denied
    from openpyxl import Workbook
    from openpyxl.styles import Font

    organizations = scoping.organizations_in_scope(request.user).order_by("path")
    example = organizations.filter(level="community").first() or organizations.first()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("学员")
    columns = ("name", "phone", "organization", "position", "joined_on")
    sheet.append([COLUMN_LABELS[column] for column in columns])
    sheet.append([_("张三"), "13800000000", example.code if example else "", str(TraineeProfile.Position.WORKER.label),
                  "2024-03-01"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (12, 16, 16, 12, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_col=2, max_col=5, min_row=1, max_row=1000):
        for cell in row:  # text, so Excel keeps phone numbers and codes as typed (no 1.38E+10)
            if cell.column != 4:
                cell.number_format = "@"
    codes = workbook.create_sheet(_("组织编码"))
    codes.append([_("组织编码"), _("组织名称"), _("层级")])
    levels = dict(organizations.model.Level.choices)
    for code, name, level in organizations.values_list("code", "name", "level").iterator():
        codes.append([code, name, str(levels.get(level, level))])
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("学员导入模板.xlsx"))
    return response


def _keep_for_confirmation(user, filename: str, data: bytes) -> str:
    _delete_abandoned_files()
    name = default_storage.save(f"imports/{uuid.uuid4().hex}.{extension_of(filename)}", ContentFile(data))
    return signing.dumps({"file": name, "user": user.pk, "filename": filename}, salt=TOKEN_SALT)


def _delete_abandoned_files() -> None:
    """Files of previews nobody confirmed hold phone numbers: gone once their token has expired."""
    cutoff = timezone.now() - dt.timedelta(seconds=TOKEN_MAX_AGE)
    try:
        _dirs, files = default_storage.listdir("imports")
        for file in files:
            if default_storage.get_modified_time(f"imports/{file}") < cutoff:
                default_storage.delete(f"imports/{file}")
    except (FileNotFoundError, NotImplementedError, OSError):
        pass  # best effort; a storage without listings keeps them until someone clears imports/


def _preview_context(plan: ImportPlan, *, filename: str, token: str) -> dict:
    errors = sorted(plan.errors, key=lambda error: error.row)
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
        "initial_password": initial_password(),
    }
