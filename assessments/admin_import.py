"""Question import and export in the Wagtail admin: choose a bank and upload → preview → confirm.

Thin: parse, call, render. The uploaded file waits for confirmation in `core.api`'s import staging
(a signed token naming the file, the bank and the user who uploaded it); the rows are read and
validated again before anything is written. A file with any bad row imports nothing.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.exports import export_xlsx, template_xlsx
from assessments.imports import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    ImportFileError,
    QuestionImportPlan,
    extension_of,
    read_rows,
    validate_rows,
)
from assessments.models import Question, QuestionBank
from assessments.services_import import QuestionImportError, questions_import
from core.api import import_staging

TOKEN_SALT = "assessments.question_import"
FILE_PREFIX = "imports/questions-"
PAGE = {"import_title": gettext_lazy("导入试题"), "import_icon": "upload"}


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
            token = import_staging.stage(user=request.user, filename=uploaded.name, data=data, salt=TOKEN_SALT,
                                         prefix=FILE_PREFIX, bank=bank.pk) if plan.ok else ""
            return render(request, "assessments/admin/import_preview.html",
                          _preview_context(plan, bank=bank, filename=uploaded.name, token=token))
    return render(request, "assessments/admin/import_upload.html", {
        **PAGE, "upload_url": reverse("assessments_question_import"), "form": form, "max_rows": MAX_ROWS})


@require_POST
def confirm(request):
    if denied := _denied(request):
        return denied
    payload, data, response = import_staging.unstage_or_response(request, salt=TOKEN_SALT, prefix=FILE_PREFIX,
                                                                 restart="assessments_question_import")
    if response:
        return response
    filename = payload["filename"]
    bank = QuestionBank.objects.filter(pk=payload.get("bank")).first()
    if bank is None:
        import_staging.discard(payload)
        messages.error(request, _("预览已失效（题库已删除），请重新上传文件。"))
        return redirect("assessments_question_import")
    try:
        plan = validate_rows(bank=bank, rows=read_rows(filename, data))
        if not plan.ok:  # the bank changed since the preview (e.g. an edit made two rows collide)
            import_staging.discard(payload)
            return render(request, "assessments/admin/import_preview.html",
                          _preview_context(plan, bank=bank, filename=filename, token=""))
        counts = questions_import(bank=bank, rows=plan.rows)
    except (ImportFileError, QuestionImportError) as exc:
        import_staging.discard(payload)
        messages.error(request, exc.message)
        return redirect("assessments_question_import")
    import_staging.discard(payload)
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


def _preview_context(plan: QuestionImportPlan, *, bank: QuestionBank, filename: str, token: str) -> dict:
    return {**import_staging.preview_context(plan, filename=filename, token=token, errors=plan.errors),
            **PAGE, "bank": bank, "kind_counts": plan.kind_counts,
            "restart_url": reverse("assessments_question_import") + f"?bank={bank.pk}",
            "confirm_url": reverse("assessments_question_import_confirm")}
