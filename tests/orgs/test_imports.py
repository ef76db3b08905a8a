import csv
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.cache import SessionStore
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from orgs.api import Organization, TraineeProfile
from orgs.imports import MAX_ROWS, ImportFileError, plan_import, read_rows
from orgs.middleware import PasswordChangeRequiredMiddleware
from orgs.services import TraineeImportError, initial_password, trainee_import

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "手机号", "所属组织", "岗位", "入职日期"]
# The four communities of 朝阳区 (district_admin's scope); 红旗街道 (street_admin) holds the first two.
CHAOYANG = ["2201040101", "2201040102", "2201040201", "2201040202"]
POSITIONS = ["社区书记", "副书记", "委员", "社区工作者", "网格员", "其他"]
UPLOAD_URL = "/admin/trainee-import/"
CONFIRM_URL = "/admin/trainee-import/confirm/"


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学员")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _people(count: int, start: int = 0) -> list[list]:
    """`count` good rows; phones as Excel stores them when the column is numeric (int)."""
    return [
        [f"学员{n:05d}", 15800000000 + n, CHAOYANG[n % 4], POSITIONS[n % 6], f"2020-{1 + n % 12:02d}-01"]
        for n in range(start, start + count)
    ]


def _counts():
    return TraineeProfile.objects.count(), User.objects.count()


def _reasons(plan) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for error in plan.errors:
        reasons.setdefault(error.row, []).append(error.reason)
    return reasons


def _admin(username="district_admin") -> User:
    return User.objects.get(username=username)


# --- the scenario ----------------------------------------------------------------------

def test_a_2000_row_file_with_three_bad_rows_imports_nothing_and_names_rows_and_reasons():
    rows = _people(2000)
    rows[99][2] = "不存在的社区"  # Excel row 101
    rows[999][0] = ""  # Excel row 1001
    rows[1499][1] = rows[499][1]  # Excel row 1501 repeats row 501's phone
    data = _xlsx(rows)
    before = _counts()

    plan = plan_import(admin_user=_admin(), filename="学员.xlsx", data=data)

    reasons = _reasons(plan)
    assert sorted(reasons) == [101, 501, 1001, 1501]
    assert reasons[101] == ["组织“不存在的社区”不存在，请填写组织编码或准确的组织名称"]
    assert reasons[1001] == ["姓名不能为空"]
    assert reasons[501] == ["手机号 15800000499 与第 1501 行重复"]
    assert reasons[1501] == ["手机号 15800000499 与第 501 行重复"]
    assert plan.counts == {"created": 1996, "updated": 0, "unchanged": 0}

    with pytest.raises(TraineeImportError) as refused:
        trainee_import(admin_user=_admin(), parsed=read_rows("学员.xlsx", data))
    assert {error.row for error in refused.value.errors} == {101, 501, 1001, 1501}
    assert _counts() == before


def test_the_corrected_file_imports_all_rows_and_importing_it_again_changes_nothing():
    data = _xlsx(_people(2000))
    profiles, users = _counts()

    plan = plan_import(admin_user=_admin(), filename="学员.xlsx", data=data)
    assert plan.ok and plan.counts == {"created": 2000, "updated": 0, "unchanged": 0}
    counts = trainee_import(admin_user=_admin(), parsed=read_rows("学员.xlsx", data))
    assert counts == {"created": 2000, "updated": 0, "unchanged": 0}
    assert _counts() == (profiles + 2000, users + 2000)

    imported = TraineeProfile.objects.select_related("user", "organization").get(phone="15800000007")
    assert imported.user.username == "15800000007"
    assert (imported.real_name, imported.organization.code, imported.position) == ("学员00007", CHAOYANG[3], "deputy")
    assert imported.joined_on.isoformat() == "2020-08-01"
    assert imported.must_change_password
    assert imported.user.check_password(initial_password())

    again = trainee_import(admin_user=_admin(), parsed=read_rows("学员.xlsx", data))
    assert again == {"created": 0, "updated": 0, "unchanged": 2000}
    assert _counts() == (profiles + 2000, users + 2000)


def test_a_changed_name_or_organisation_updates_instead_of_duplicating():
    existing = TraineeProfile.objects.select_related("user").get(user__username="trainee")  # 长山花园社区
    first = [["王一", "158-0000-0001", "2201040101", "", ""], [existing.real_name, existing.phone, "2201040101", "", ""]]
    assert trainee_import(admin_user=_admin(), parsed=read_rows("a.csv", _csv(first))) == {
        "created": 1, "updated": 0, "unchanged": 1}
    before = _counts()

    second = [["王一鸣", "15800000001", "2201040102", "网格员", ""], ["张晓梅", existing.phone, "2201040201", "", ""]]
    plan = plan_import(admin_user=_admin(), filename="b.csv", data=_csv(second))
    assert [(row.action.value, row.changes) for row in plan.rows] == [
        ("update", ["name", "organization", "position"]), ("update", ["name", "organization"])]
    assert trainee_import(admin_user=_admin(), parsed=read_rows("b.csv", _csv(second))) == {
        "created": 0, "updated": 2, "unchanged": 0}

    assert _counts() == before
    moved = TraineeProfile.objects.select_related("user", "organization").get(phone="15800000001")
    assert (moved.real_name, moved.user.first_name, moved.organization.code, moved.position) == (
        "王一鸣", "王一鸣", "2201040102", "grid")
    existing.refresh_from_db()
    existing.user.refresh_from_db()
    assert (existing.real_name, existing.organization.code, existing.user.username) == ("张晓梅", "2201040201", "trainee")
    assert not existing.must_change_password, "updating a profile never resets its password requirement"


# --- scope -------------------------------------------------------------------------------------

def test_a_street_administrator_cannot_import_into_another_street():
    rows = [["李四", "15900000001", "2201040101", "", ""], ["王五", "15900000002", "南湖社区", "", ""]]
    plan = plan_import(admin_user=_admin("street_admin"), filename="x.xlsx", data=_xlsx(rows))
    assert _reasons(plan) == {3: ["组织“南湖社区”不在您的管理范围内"]}


def test_posting_another_streets_rows_through_the_admin_imports_nothing(client):
    client.force_login(_admin("street_admin"))
    before = _counts()
    data = _xlsx([["李四", "15900000001", "2201040101", "", ""], ["王五", "15900000002", "2201040201", "", ""]])
    response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile("x.xlsx", data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行" in page and "组织“南湖社区”不在您的管理范围内" in page
    assert CONFIRM_URL not in page and 'name="token"' not in page
    assert _counts() == before


def test_a_phone_belonging_to_someone_outside_the_scope_cannot_be_taken_over():
    street = Organization.objects.get(code="22010401")
    outsider = TraineeProfile.objects.exclude(organization__path__startswith=street.path).first()
    rows = [["改名", outsider.phone, "2201040101", "", ""]]
    plan = plan_import(admin_user=_admin("street_admin"), filename="x.csv", data=_csv(rows))
    reason = _reasons(plan)[2]
    assert reason == [f"手机号 {outsider.phone} 无法导入，请核对号码；如号码无误，请联系上级管理员处理"]
    assert "范围以外" not in reason[0] and outsider.real_name not in reason[0]  # nothing said about who holds it


def test_organisation_names_resolve_within_the_scope_and_ambiguity_asks_for_a_code():
    nanhu = Organization.objects.get(code="22010402")
    nanhu.add_child(name="红旗社区", code="2201040299", level=Organization.Level.COMMUNITY)
    rows = [["李四", "15900000001", "红旗社区", "", ""]]
    street_plan = plan_import(admin_user=_admin("street_admin"), filename="x.csv", data=_csv(rows))
    assert street_plan.ok and street_plan.rows[0].organization.code == "2201040102"
    district_plan = plan_import(admin_user=_admin("district_admin"), filename="x.csv", data=_csv(rows))
    assert _reasons(district_plan) == {2: ["组织名称“红旗社区”不唯一，请填写组织编码"]}


def test_only_organisation_administrators_reach_the_import(client):
    # A trainee has no Wagtail admin access at all: 403, as for all of /admin/.
    client.force_login(User.objects.get(username="trainee"))
    assert client.get(UPLOAD_URL).status_code == 403
    # A trainer can open the admin but holds no organisation role: 403 on every import URL.
    client.force_login(User.objects.get(username="trainer"))
    for method, url in (("get", UPLOAD_URL), ("post", UPLOAD_URL), ("post", CONFIRM_URL),
                        ("get", "/admin/trainee-import/template.xlsx")):
        assert getattr(client, method)(url).status_code == 403, url
    client.force_login(_admin("street_admin"))
    page = client.get(UPLOAD_URL)
    assert page.status_code == 200 and "学员导入" in page.content.decode()


def test_the_menu_item_is_shown_to_organisation_administrators_only():
    from wagtail.admin.menu import admin_menu

    def labels(username):
        request = RequestFactory().get("/admin/")
        request.user = User.objects.get(username=username)
        return [str(item.label) for item in admin_menu.menu_items_for_request(request)]

    assert "学员导入" in labels("street_admin")
    assert "学员导入" in labels("admin")
    assert "学员导入" not in labels("trainer")


# --- the admin flow ----------------------------------------------------------------------------

def test_upload_preview_confirm_in_the_admin(client):
    client.force_login(_admin("district_admin"))
    before = _counts()
    data = _xlsx(_people(3))
    preview = client.post(UPLOAD_URL, {"file": SimpleUploadedFile("学员.xlsx", data)})
    page = preview.content.decode()
    assert "新增 3、更新 0、无变化 0" in page and initial_password() in page
    assert _counts() == before, "the preview writes nothing"
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    # Another administrator cannot confirm someone else's upload.
    client.force_login(_admin("street_admin"))
    assert client.post(CONFIRM_URL, {"token": token}).status_code == 403
    assert client.post(CONFIRM_URL, {"token": token + "x"}).status_code == 403

    client.force_login(_admin("district_admin"))
    done = client.post(CONFIRM_URL, {"token": token}, follow=True)
    assert "导入完成：新增 3 人，更新 0 人，无变化 0 人。" in done.content.decode()
    assert _counts() == (before[0] + 3, before[1] + 3)
    waiting = signing.loads(token, salt="learning.trainee_import")["file"]
    assert not default_storage.exists(waiting), "the waiting file is deleted after the import"

    replay = client.post(CONFIRM_URL, {"token": token}, follow=True)
    assert "预览已失效" in replay.content.decode()
    assert _counts() == (before[0] + 3, before[1] + 3)


def test_the_template_download_round_trips(client):
    client.force_login(_admin("street_admin"))
    response = client.get("/admin/trainee-import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADER
    assert {row[0] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)} == {
        "22010401", "2201040101", "2201040102"}
    plan = plan_import(admin_user=_admin("street_admin"), filename="t.xlsx", data=response.content)
    assert plan.ok and plan.counts["created"] == 1


# --- file formats and limits -------------------------------------------------------------------

def test_a_gbk_csv_from_excel_imports():
    rows = [["赵六", "158 0000 0011", "红旗社区", "网格员", "2021/3/5"], ["钱七", "15800000012", "2201040101", "", ""]]
    data = _csv(rows, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    counts = trainee_import(admin_user=_admin(), parsed=read_rows("学员.csv", data))
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    zhao = TraineeProfile.objects.select_related("organization").get(phone="15800000011")
    assert (zhao.real_name, zhao.organization.name, zhao.position, zhao.joined_on.isoformat()) == (
        "赵六", "红旗社区", "grid", "2021-03-05")
    assert TraineeProfile.objects.get(phone="15800000012").position == "worker"


def test_row_level_checks_on_phones_positions_and_dates():
    rows = [
        ["甲", "1580000001", "2201040101", "", ""],
        ["乙", "1.58E+10", "2201040101", "", ""],
        ["丙", "15800000021", "2201040101", "主任", ""],
        ["丁", "15800000022", "2201040101", "", "去年"],
        ["戊", "", "", "", ""],
    ]
    reasons = _reasons(plan_import(admin_user=_admin(), filename="x.csv", data=_csv(rows)))
    assert reasons[2] == ["手机号“1580000001”不是有效的 11 位手机号"]
    assert "科学计数法" in reasons[3][0]
    assert reasons[4][0].startswith("岗位“主任”不存在，可填写：社区书记、副书记")
    assert reasons[5] == ["入职日期“去年”格式不正确，应为 2020-01-31"]
    assert reasons[6] == ["手机号不能为空", "所属组织不能为空"]


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("x.csv", b"", "文件是空的"),
    ("x.csv", b",,\n\n,,\n", "文件是空的"),
    ("x.csv", "名字,电话\n张三,13800000000\n".encode(), "没有找到表头行"),
    ("x.csv", "姓名,手机号,所属组织\n".encode(), "只有表头"),
    ("x.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 Excel"),
    ("x.xlsx", b"not a zip file", "无法读取该 Excel 文件"),
    ("x.pdf", b"%PDF", "只能导入 .xlsx 或 .csv"),
    ("x.csv", b"x" * (5 * 1024 * 1024 + 1), "文件超过 5 MB"),
])
def test_unusable_files_get_a_clear_message(filename, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_rows(filename, data)


def test_more_than_20000_rows_is_refused_but_20000_is_fine():
    line = "张三,13800000000,2201040101\n"
    assert len(read_rows("x.csv", ("姓名,手机号,所属组织\n" + line * MAX_ROWS).encode()).rows) == MAX_ROWS
    with pytest.raises(ImportFileError, match="20000 行"):
        read_rows("x.csv", ("姓名,手机号,所属组织\n" + line * (MAX_ROWS + 1)).encode())


def test_row_numbers_are_excels_even_below_a_title_and_blank_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "2026 年朝阳区学员名单"
    sheet.append(["*姓名", "手机号码", "所属组织"])  # row 2
    sheet.append(["张三", 15800000031, 2201040101])  # row 3
    sheet.append([])  # row 4, blank
    sheet.append(["", 15800000032, 2201040101])  # row 5
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_import(admin_user=_admin(), filename="x.xlsx", data=buffer.getvalue())
    assert _reasons(plan) == {5: ["姓名不能为空"]}
    assert [row.row for row in plan.rows] == [3]


# --- first login -------------------------------------------------------------------------------

def test_an_imported_user_must_change_the_password_at_first_login(client):
    trainee_import(admin_user=_admin(), parsed=read_rows("x.csv", _csv([["孙八", "15800000041", "2201040101", "", ""]])))

    response = client.post("/accounts/login/", {"login": "15800000041", "password": initial_password()}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/change/?next=%2F"
    assert "首次登录请先修改密码" in response.content.decode()
    assert client.get("/search/")["Location"].startswith("/accounts/password/change/")
    assert client.get("/api/v1/openapi.json").status_code != 302

    changed = client.post("/accounts/password/change/?next=/", {
        "oldpassword": initial_password(), "password1": "Shequ#2026!xy", "password2": "Shequ#2026!xy"})
    assert changed.status_code == 302 and changed["Location"] == "/"
    assert not TraineeProfile.objects.get(phone="15800000041").must_change_password
    assert client.get("/").status_code == 200


def test_until_the_initial_password_is_changed_the_api_answers_403_with_a_code(client):
    from assessments.models import Quiz
    from cms.models import LessonPage

    trainee_import(admin_user=_admin(), parsed=read_rows("x.csv", _csv([["周九", "15800000042", "2201040101", "", ""]])))
    client.post("/accounts/login/", {"login": "15800000042", "password": initial_password()})
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value} if "csrftoken" in client.cookies else {}
    lesson, quiz = LessonPage.objects.live().first(), Quiz.objects.first()
    calls = [("get", "/api/v1/me/summary", None),
             ("post", f"/api/v1/lessons/{lesson.pk}/heartbeat", {"session": "s", "seq": 1, "position": 0, "watched": 0}),
             ("post", f"/api/v1/quizzes/{quiz.pk}/attempts", None)]
    for method, url, body in calls:
        response = getattr(client, method)(url, body, content_type="application/json", **csrf)
        assert response.status_code == 403, url
        assert response.json()["code"] == "password_change_required", url
    assert not Quiz.objects.get(pk=quiz.pk).attempts.exists()  # nothing started

    client.post("/accounts/password/change/", {"oldpassword": initial_password(), "password1": "Shequ#2026!zq",
                                               "password2": "Shequ#2026!zq"})
    assert client.get("/api/v1/me/summary").status_code == 200


def test_the_middleware_costs_no_query_when_anonymous_and_one_per_session_when_logged_in():
    middleware = PasswordChangeRequiredMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as anonymous:
        assert middleware(request).status_code == 200
    assert len(anonymous) == 0

    session = SessionStore()
    request = RequestFactory().get("/")
    request.user, request.session = User.objects.get(username="trainee"), session
    with CaptureQueriesContext(connection) as logged_in:
        assert middleware(request).status_code == 200
    assert len(logged_in) == 1
    # The "no" is remembered for the session: the next request asks nothing.
    request = RequestFactory().get("/")
    request.user, request.session = User.objects.get(username="trainee"), session
    with CaptureQueriesContext(connection) as again:
        assert middleware(request).status_code == 200
    assert len(again) == 0
