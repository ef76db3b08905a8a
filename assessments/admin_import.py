"""Question import and export in the Wagtail admin: choose a bank and upload → preview → confirm.

Thin: parse, call, render. Between preview and confirm the uploaded file waits in `default_storage`
under `imports/questions-<random>.xlsx` (never served: config/urls.py answers 404 under media/imports/);
the confirm form carries a token signed with `django.core.signing` naming that file, the bank and the
user who uploaded it, and the rows are read and validated again before anything is written. A file
with any bad row imports nothing.
"""

import datetime as dt
import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.imports import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    ImportFileError,
    QuestionImportPlan,
    export_xlsx,
    extension_of,
    read_rows,
    template_xlsx,
    validate_rows,
)
from assessments.models import Question, QuestionBank
from assessments.services_import import QuestionImportError, questions_import

TOKEN_SALT = "assessments.question_import"
TOKEN_MAX_AGE = 6 * 60 * 60
FILE_PREFIX = "imports/questions-"
MAX_ERRORS_SHOWN = 200
MAX_ROWS_SHOWN = 100


def can_import(user) -> bool:
    return bool(user and user.is_authenticated
                and user.has_perms(["assessments.add_question", "assessments.change_question"]))


def can_export(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("assessments.view_question"))


class QuestionImportForm(forms.Form):
    bank = forms.ModelChoiceField(
        label=gettext_lazy("导入到题库"), queryset=QuestionBank.objects.order_by("name"),
        empty_label=gettext_lazy("请选择题库"),
    )
    file = forms.FileField(
        label=gettext_lazy("导入文件"),
        help_text=gettext_lazy("Excel（.xlsx）文件，不超过 5 MB、5000 道题。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension_of(upload.name) != "xlsx":
            raise forms.ValidationError(_("只能导入 .xlsx 文件；.xls 或 .csv 文件请在 Excel 中“另存为” .xlsx 后再上传。"))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB，请拆分成几个文件分批导入。"))
        return upload


def _denied(request):
    if can_import(request.user):
        return None
    return HttpResponseForbidden(_("您没有导入试题的权限。"))


@require_http_methods(["GET", "POST"])
def upload(request):
    if denied := _denied(request):
        return denied
    initial = {}
    if request.GET.get("bank", "").isdigit():
        initial["bank"] = request.GET["bank"]
    form = QuestionImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        bank, uploaded = form.cleaned_data["bank"], form.cleaned_data["file"]
        data = uploaded.read()
        try:
            rows = read_rows(uploaded.name, data)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            plan = validate_rows(bank=bank, rows=rows)
            token = _keep_for_confirmation(request.user, bank, uploaded.name, data) if plan.ok else ""
            return render(request, "assessments/admin/import_preview.html",
                          _preview_context(plan, bank=bank, filename=uploaded.name, token=token))
    return render(request, "assessments/admin/import_upload.html", {"form": form, "max_rows": MAX_ROWS})


@require_POST
def confirm(request):
    if denied := _denied(request):
        return denied
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        messages.error(request, _("预览已过期，请重新上传文件。"))
        return redirect("assessments_question_import")
    except signing.BadSignature:
        return HttpResponseForbidden(_("导入请求无效。"))
    if payload.get("user") != request.user.pk:
        return HttpResponseForbidden(_("这份文件不是您上传的，不能由您确认导入。"))
    name, filename = payload["file"], payload["filename"]
    bank = QuestionBank.objects.filter(pk=payload.get("bank")).first()
    if bank is None or not name.startswith(FILE_PREFIX) or not default_storage.exists(name):
        messages.error(request, _("预览已失效（文件可能已经导入过，或题库已删除），请重新上传文件。"))
        return redirect("assessments_question_import")
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    try:
        plan = validate_rows(bank=bank, rows=read_rows(filename, data))
        if not plan.ok:  # the bank changed since the preview (e.g. an edit made two rows collide)
            default_storage.delete(name)
            return render(request, "assessments/admin/import_preview.html",
                          _preview_context(plan, bank=bank, filename=filename, token=""))
        counts = questions_import(bank=bank, rows=plan.rows)
    except (ImportFileError, QuestionImportError) as exc:
        default_storage.delete(name)
        messages.error(request, exc.message)
        return redirect("assessments_question_import")
    default_storage.delete(name)
    messages.success(request, _("已导入到题库“%(bank)s”：新增 %(created)s 题，更新 %(updated)s 题，无变化 %(unchanged)s 题。")
                     % {"bank": bank.name, **counts})
    return redirect(reverse("wagtailsnippets_assessments_question:list") + f"?bank={bank.pk}")


@require_GET
def template_download(request):
    if denied := _denied(request):
        return denied
    return _xlsx_response(template_xlsx(), _("试题导入模板.xlsx"))


@require_GET
def bank_export(request, bank_id: int):
    """The bank's questions in the import layout: export → edit → import updates them in place."""
    if not can_export(request.user):
        return HttpResponseForbidden(_("您没有查看试题的权限。"))
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    questions = Question.objects.filter(bank=bank).order_by("id").iterator(chunk_size=1000)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return _xlsx_response(export_xlsx(questions, sheet_title=bank.name), f"{bank.name}-试题-{stamp}.xlsx")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _keep_for_confirmation(user, bank: QuestionBank, filename: str, data: bytes) -> str:
    _delete_abandoned_files()
    name = default_storage.save(f"{FILE_PREFIX}{uuid.uuid4().hex}.xlsx", ContentFile(data))
    return signing.dumps({"file": name, "user": user.pk, "bank": bank.pk, "filename": filename}, salt=TOKEN_SALT)


def _delete_abandoned_files() -> None:
    """Previews nobody confirmed: their files go once their token has expired (best effort)."""
    cutoff = timezone.now() - dt.timedelta(seconds=TOKEN_MAX_AGE)
    prefix = FILE_PREFIX.rsplit("/", 1)[1]
    try:
        _dirs, files = default_storage.listdir("imports")
        for file in files:
            if file.startswith(prefix) and default_storage.get_modified_time(f"imports/{file}") < cutoff:
                default_storage.delete(f"imports/{file}")
    except (FileNotFoundError, NotImplementedError, OSError):
        pass


def _preview_context(plan: QuestionImportPlan, *, bank: QuestionBank, filename: str, token: str) -> dict:
    return {
        "bank": bank,
        "plan": plan,
        "counts": plan.counts,
        "kind_counts": plan.kind_counts,
        "filename": filename,
        "token": token,
        "errors": plan.errors[:MAX_ERRORS_SHOWN],
        "errors_total": len(plan.errors),
        "error_rows_total": len(plan.error_rows),
        "errors_hidden": max(0, len(plan.errors) - MAX_ERRORS_SHOWN),
        "rows": plan.rows[:MAX_ROWS_SHOWN],
        "rows_hidden": max(0, len(plan.rows) - MAX_ROWS_SHOWN),
    }
