"""Question import and export in the Wagtail admin (assessments.admin_import): upload → preview → confirm."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from assessments.admin_import import TOKEN_SALT
from assessments.imports import HEADER
from assessments.models import Question, QuestionBank
from tests.assessments.sheets import GOOD_ROWS, with_three_bad_rows, xlsx

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/assessments/import/"
CONFIRM_URL = "/admin/assessments/import/confirm/"
TEMPLATE_URL = "/admin/assessments/import/template.xlsx"


@pytest.fixture(autouse=True)
def _no_leftover_uploads():
    """Previews nobody confirms leave their file behind until it expires: remove this test's."""
    yield
    _dirs, files = default_storage.listdir("imports") if default_storage.exists("imports") else ([], [])
    for name in files:
        if name.startswith("questions-"):
            default_storage.delete(f"imports/{name}")


@pytest.fixture
def bank():
    return QuestionBank.objects.create(name="后台导入题库")


def _login(client, username="trainer"):
    client.force_login(User.objects.get(username=username))


def _upload(client, bank, data, name="题库.xlsx"):
    return client.post(UPLOAD_URL, {"bank": bank.pk, "file": SimpleUploadedFile(name, data)})


def _token(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def test_three_bad_rows_import_nothing_and_the_preview_names_each_row_and_reason(client, bank):
    _login(client)
    rows, expected = with_three_bad_rows()
    response = _upload(client, bank, xlsx(rows))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-import-status="errors"' in page
    shown = re.findall(r'<tr data-row="(\d+)"><td>第 \d+ 行</td><td>([^<]+)</td></tr>', page)
    assert [(int(row), reason) for row, reason in shown] == [
        (row, reason) for row, reasons in sorted(expected.items()) for reason in reasons]
    assert "发现 3 处错误（涉及 3 行），未导入任何试题" in page
    assert not _token(response)  # no confirm button: all or nothing
    assert not Question.objects.filter(bank=bank).exists()


def test_the_corrected_file_previews_then_imports_on_confirmation_and_again_adds_nothing(client, bank):
    _login(client)
    preview = _upload(client, bank, xlsx(GOOD_ROWS))
    page = preview.content.decode()
    assert 'data-import-status="ok"' in page and "新增 8 题、更新 0 题、无变化 0 题" in page
    assert not Question.objects.filter(bank=bank).exists()  # the preview writes nothing
    token = _token(preview)
    stored = signing.loads(token, salt=TOKEN_SALT)["file"]
    assert default_storage.exists(stored)

    confirmed = client.post(CONFIRM_URL, {"token": token})
    assert confirmed.status_code == 302 and confirmed["Location"].endswith(f"?bank={bank.pk}")
    assert Question.objects.filter(bank=bank).count() == 8
    assert not default_storage.exists(stored)
    assert client.post(CONFIRM_URL, {"token": token}).status_code == 302  # replay: file gone, nothing happens
    assert Question.objects.filter(bank=bank).count() == 8

    again = _upload(client, bank, xlsx(GOOD_ROWS))
    assert "新增 0 题、更新 0 题、无变化 8 题" in again.content.decode()
    client.post(CONFIRM_URL, {"token": _token(again)})
    assert Question.objects.filter(bank=bank).count() == 8


def test_export_then_import_through_the_admin_round_trips(client, bank):
    _login(client)
    client.post(CONFIRM_URL, {"token": _token(_upload(client, bank, xlsx(GOOD_ROWS)))})
    export = client.get(f"/admin/assessments/banks/{bank.pk}/export.xlsx")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.content), read_only=True).worksheets[0]
    assert list(next(sheet.iter_rows(values_only=True))) == list(HEADER)

    copy = QuestionBank.objects.create(name="副本题库")
    client.post(CONFIRM_URL, {"token": _token(_upload(client, copy, export.content, "导出.xlsx"))})
    fields = ("kind", "stem", "option_a", "option_b", "option_c", "option_d", "option_e", "option_f", "answer",
              "explanation", "score", "difficulty", "tags")
    original = sorted(Question.objects.filter(bank=bank).values_list(*fields))
    assert sorted(Question.objects.filter(bank=copy).values_list(*fields)) == original
    assert "无变化 8 题" in _upload(client, bank, export.content, "导出.xlsx").content.decode()


def test_the_template_downloads_and_previews_cleanly(client, bank):
    _login(client)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == list(HEADER)
    assert 'data-import-status="ok"' in _upload(client, bank, response.content, "模板.xlsx").content.decode()


def test_size_and_type_limits_are_explained(client, bank):
    _login(client)
    too_big = _upload(client, bank, b"x" * (5 * 1024 * 1024 + 1))
    assert "文件超过 5 MB" in too_big.content.decode()
    csv = _upload(client, bank, b"a,b", name="题库.csv")
    assert "只能导入 .xlsx 文件" in csv.content.decode()
    rows = [["判断", f"第 {n} 题", "", "", "", "", "", "", "对"] for n in range(5001)]
    assert "文件超过 5000 行试题" in _upload(client, bank, xlsx(rows)).content.decode()


def test_a_token_is_bound_to_the_user_who_uploaded(client, bank):
    _login(client)
    token = _token(_upload(client, bank, xlsx(GOOD_ROWS)))
    _login(client, "reviewer")  # may import too, but did not upload this file
    assert client.post(CONFIRM_URL, {"token": token}).status_code == 403
    assert client.post(CONFIRM_URL, {"token": token + "x"}).status_code == 403
    assert not Question.objects.filter(bank=bank).exists()


def test_who_may_import_and_export(client, bank):
    urls = [UPLOAD_URL, TEMPLATE_URL, f"/admin/assessments/banks/{bank.pk}/export.xlsx"]
    # A trainee never gets past the admin gate: a 403 page that says why, nothing shown.
    _login(client, "trainee")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "没有访问权限" in response.content.decode(), url
    assert client.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    # An organisation administrator may open the admin but holds no question permissions: 403.
    _login(client, "street_admin")
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    _login(client, "reviewer")
    for url in urls:
        assert client.get(url).status_code == 200, url
