"""Trainee import in the Wagtail admin: upload → preview (dry run) → confirm. Thin: parse, call, render.

The uploaded file waits for confirmation in `core.import_staging` (a signed token naming it and
the administrator who uploaded it); the rows are validated again inside the import transaction.
"""

import io

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.api import XLSX_CONTENT_TYPE, import_staging
from orgs import scoping
from orgs.imports import (
    COLUMN_LABELS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportPlan,
    extension_of,
    read_rows,
    validate_rows,
)
from orgs.models import TraineeProfile
from orgs.services import TraineeImportError, initial_password, trainee_import

TOKEN_SALT = "learning.trainee_import"
FILE_PREFIX = "imports/trainees-"
PAGE = {"import_title": gettext_lazy("学员导入"), "import_icon": "group"}


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
            token = import_staging.stage(user=request.user, filename=uploaded.name, data=data, salt=TOKEN_SALT,
                                         prefix=FILE_PREFIX) if plan.ok else ""
            return render(request, "orgs/admin/import_preview.html",
                          _preview_context(plan, filename=uploaded.name, token=token))
    return render(request, "orgs/admin/import_upload.html", {
        **PAGE, "upload_url": reverse("orgs_trainee_import"), "form": form, "max_rows": MAX_ROWS, "initial_password": initial_password(),
        "positions": [label for _value, label in TraineeProfile.Position.choices],
    })


@require_POST
def confirm(request):
    if denied := _forbidden(request):
        return denied
    payload, data, response = import_staging.unstage_or_response(request, salt=TOKEN_SALT, prefix=FILE_PREFIX,
                                                                 restart="orgs_trainee_import")
    if response:
        return response
    name, filename = payload["file"], payload["filename"]
    try:
        counts = trainee_import(admin_user=request.user, parsed=read_rows(name, data))
    except (ImportFileError, TraineeImportError) as exc:
        import_staging.discard(payload)
        messages.error(request, exc.message)
        errors = getattr(exc, "errors", [])
        if not errors:
            return redirect("orgs_trainee_import")
        return render(request, "orgs/admin/import_preview.html",
                      _preview_context(ImportPlan(rows=[], errors=errors), filename=filename, token=""))
    import_staging.discard(payload)
    messages.success(request, _("导入完成：新增 %(created)s 人，更新 %(updated)s 人，无变化 %(unchanged)s 人。") % counts)
    return redirect("orgs_trainee_import")


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
    for row in codes.iter_rows(min_row=2):
        for cell in row:  # organisation names are typed by administrators: never a live formula
            if isinstance(cell.value, str):
                cell.data_type = "s"
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("学员导入模板.xlsx"))
    return response


def _preview_context(plan: ImportPlan, *, filename: str, token: str) -> dict:
    errors = sorted(plan.errors, key=lambda error: error.row)
    return {**import_staging.preview_context(plan, filename=filename, token=token, errors=errors), **PAGE,
            "restart_url": reverse("orgs_trainee_import"), "confirm_url": reverse("orgs_trainee_import_confirm"),
            "initial_password": initial_password()}
