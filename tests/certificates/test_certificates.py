"""结业证书: issued once on completion (after the credit commits), verifiable in public with only the allowed fields, revocable by
the holder's administrators, and a PDF whose Chinese text is an embedded font subset."""

import datetime as dt
import json
import re
import shutil
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from certificates.models import Certificate
from certificates.pdf import (
    BOLD,
    REGULAR,
    _document_fonts,
    certificate_texts,
    render_certificate_pdf,
)
from certificates.services import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CertificateError,
    certificate_for_annual_target,
    certificate_for_class_if_complete,
    certificate_issue,
    certificate_revoke,
)
from cms.models import CoursePage, LessonPage
from learning.models import Enrollment, TrainingClass
from learning.services.progress import completion_recheck
from notifications.models import Notification
from orgs.api import Organization
from tests.helpers import login

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def user(username):
    return User.objects.get(username=username)


def outsider():
    """A trainee outside 红旗街道 (street_admin's scope)."""
    street = Organization.objects.get(code="22010401")
    return User.objects.filter(profile__isnull=False).exclude(
        profile__organization__path__startswith=street.path).order_by("username").first()


def issue(holder, object_id=1, **overrides):
    fields = {"kind": Certificate.Kind.COURSE, "object_id": object_id, "title": "党建引领物业服务",
              "credit_hours": Decimal("2.00"), "issued_on": dt.date(2026, 11, 24), **overrides}
    return certificate_issue(user=holder, **fields)


def complete_course(client, course, on_commit):
    """Watch every lesson of `course` the way the player does (heartbeats on a clock the test moves);
    what follows each beat's commit (certificates, growth) runs as it would in production."""
    with time_machine.travel(T0, tick=False) as clock, on_commit(execute=True):
        for lesson in LessonPage.objects.child_of(course).live():
            needed = lesson.min_reading_seconds if lesson.video is None else lesson.video.duration
            seq = 0

            def beat(watched, wait=0, lesson=lesson):
                nonlocal seq
                seq += 1
                clock.shift(wait)
                return client.post(
                    f"/api/v1/lessons/{lesson.pk}/heartbeat",
                    json.dumps({"session": f"lesson-{lesson.pk}-session", "seq": seq, "position": 0, "watched": watched}),
                    content_type="application/json",
                ).json()

            beat(0)
            while not beat(min(needed, 30), wait=min(needed, 30))["completed"]:
                pass


def test_completing_every_lesson_of_a_course_issues_exactly_one_certificate(django_capture_on_commit_callbacks):
    course = CoursePage.objects.live().first()
    trainee = user("trainee")
    client = login("trainee")
    complete_course(client, course, django_capture_on_commit_callbacks)
    for page in [course, *LessonPage.objects.child_of(course)]:  # replayed completions change nothing
        completion_recheck(user=trainee, page_id=page.pk)

    certificates = Certificate.objects.filter(user=trainee, kind=Certificate.Kind.COURSE, object_id=course.pk)
    assert certificates.count() == 1
    certificate = certificates.get()
    assert certificate.title == course.title and certificate.credit_hours == course.credit_hours
    assert certificate.holder_name == "张小梅" and certificate.issuer == "社区干部网络学院"
    assert certificate.issued_on == dt.date(2026, 11, 24)
    assert Notification.objects.filter(user=trainee, reason=f"certificate:course:{course.pk}").count() == 1
    # A fresh sign-in: the session above was last saved on the test's moved clock.
    assert certificate.code in login("trainee").get("/me/certificates/").content.decode()


def test_completing_a_class_s_last_required_course_also_issues_the_class_certificate(
        django_capture_on_commit_callbacks):
    trainee = user("trainee")
    training_class = TrainingClass.objects.get(member_organizations__code="22010401")
    courses = list(training_class.courses.order_by("path"))
    last = CoursePage.objects.live().first()
    assert last in courses
    Enrollment.objects.filter(user=trainee, course__in=[c for c in courses if c != last]).update(completed_at=T0)
    assert certificate_for_class_if_complete(user=trainee, training_class=training_class) is None

    complete_course(login("trainee"), last, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(user=trainee, kind=Certificate.Kind.CLASS, object_id=training_class.pk)
    assert certificate.title == training_class.name
    assert certificate.credit_hours == sum(c.credit_hours for c in courses)
    # Not a member: no class certificate, whatever they completed.
    assert certificate_for_class_if_complete(user=outsider(), training_class=training_class) is None


def test_issuing_twice_returns_the_same_certificate_and_notifies_once():
    trainee = user("trainee")
    first = issue(trainee)
    again = issue(trainee, title="别的标题")
    assert again.pk == first.pk and again.title == "党建引领物业服务"
    assert Certificate.objects.filter(user=trainee).count() == 1
    assert Notification.objects.filter(user=trainee, kind=Notification.Kind.CERTIFICATE).count() == 1
    assert len(first.code) == CODE_LENGTH and set(first.code) <= set(CODE_ALPHABET)
    assert not set(first.code) & set("01ILO")


def test_the_annual_certificate_needs_the_target(settings):
    settings.COLLEGE_CERTIFICATE_ISSUER = "长春市社区干部学院"
    trainee = user("trainee")
    assert certificate_for_annual_target(user=trainee, year=2026, credit_hours=Decimal("49.75"),
                                         target_hours=Decimal("50")) is None
    certificate = certificate_for_annual_target(user=trainee, year=2026, credit_hours=Decimal("52.5"),
                                                target_hours=Decimal("50"))
    assert certificate.kind == Certificate.Kind.ANNUAL and certificate.object_id == 2026
    assert certificate.issuer == "长春市社区干部学院" and "50 学时" in certificate.title


def test_the_verify_page_shows_only_name_certificate_date_and_issuer():
    trainee = user("trainee")
    certificate = issue(trainee)
    response = Client().get(f"/certificates/verify/{certificate.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("张小梅", "党建引领物业服务", "2026年11月24日", "社区干部网络学院", "证书有效"):
        assert shown in html
    profile = trainee.profile
    for hidden in (profile.phone, profile.organization.name, trainee.username, "学时"):
        assert hidden not in html
    # Typed from paper: lower case, dashes and spaces are fine.
    messy = "-".join(certificate.code[i:i + 4] for i in range(0, 12, 4)).lower()
    assert Client().get(f"/certificates/verify/{messy}/").status_code == 200


def test_an_unknown_code_is_a_404_that_says_so():
    response = Client().get("/certificates/verify/ZZZZZZZZZZZZ/")
    assert response.status_code == 404 and "证书不存在" in response.content.decode()


def test_a_revoked_certificate_answers_410_and_says_so():
    certificate = issue(user("trainee"))
    certificate_revoke(admin_user=user("street_admin"), certificate=certificate, reason="经核查存在代学")
    response = Client().get(f"/certificates/verify/{certificate.code}/")
    html = response.content.decode()
    assert response.status_code == 410 and "已撤销" in html
    assert "张小梅" not in html and "代学" not in html
    assert login("trainee").get(f"/me/certificates/{certificate.pk}.pdf").status_code == 410
    # Completing again does not bring it back.
    assert issue(user("trainee")).revoked_at is not None


def test_only_the_holders_administrators_revoke():
    mine, theirs = issue(user("trainee")), issue(outsider())
    for admin, certificate in (("street_admin", theirs), ("trainer", mine), ("trainee01", mine)):
        with pytest.raises(CertificateError):
            certificate_revoke(admin_user=user(admin), certificate=certificate, reason="测试")
    with pytest.raises(CertificateError) as error:
        certificate_revoke(admin_user=user("street_admin"), certificate=mine, reason="  ")
    assert error.value.code == "reason_required"

    client = login("street_admin")
    listing = client.get("/admin/certificates/").content.decode()
    assert mine.code in listing and theirs.code not in listing
    assert client.get(f"/admin/certificates/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/admin/certificates/{theirs.pk}/revoke/", {"reason": "越权"}).status_code == 404
    response = client.post(f"/admin/certificates/{mine.pk}/revoke/", {"reason": "重复颁发"})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and mine.revoked_reason == "重复颁发" and theirs.revoked_at is None
    assert login("trainer").get("/admin/certificates/").status_code == 403
    assert login("admin").post(f"/admin/certificates/{theirs.pk}/revoke/", {"reason": "测试"}).status_code == 302


def test_a_trainee_cannot_download_another_trainees_pdf():
    certificate = issue(user("trainee"))
    url = f"/me/certificates/{certificate.pk}.pdf"
    assert login("trainee01").get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert login("street_admin").get(url).status_code == 200  # the holder's administrator
    assert login("trainer").get(url).status_code == 200
    stranger = issue(outsider())
    assert login("street_admin").get(f"/me/certificates/{stranger.pk}.pdf").status_code == 404
    response = login("trainee").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_qr_code_and_the_printed_code_point_at_the_verify_page():
    certificate = issue(user("trainee"))
    texts = certificate_texts(certificate)
    assert texts["url"] == settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/certificates/verify/{certificate.code}/"
    assert certificate.code[:4] in texts["code"]


def test_the_pdf_embeds_a_subset_of_a_chinese_truetype_font():
    certificate = issue(user("trainee"), title="党建引领基层治理：从“网格”到“网络”的实践路径")
    data = render_certificate_pdf(certificate)
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # an embedded TrueType program, not a reference to a viewer's font
    subset_names = re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[\w-]+)", data)
    assert subset_names, "the embedded fonts must be subsets (ABCDEF+Name)"
    assert b"STSong" not in data
    assert len(data) < 150_000  # a subset, not the 17 MB font


def test_each_document_gets_its_own_fonts():
    """reportlab ignores re-registering a font name: each render must swap its fonts in and out."""
    from io import BytesIO

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from certificates.pdf import subset_fonts

    first = [TTFont(name, BytesIO(data)) for name, data in zip((REGULAR, BOLD), subset_fonts("结业"), strict=True)]
    second = [TTFont(name, BytesIO(data)) for name, data in zip((REGULAR, BOLD), subset_fonts("学时"), strict=True)]
    with _document_fonts(*first):
        assert pdfmetrics.getFont(REGULAR) is first[0]
    with _document_fonts(*second):
        assert pdfmetrics.getFont(REGULAR) is second[0] and pdfmetrics.getFont(BOLD) is second[1]
    with pytest.raises(KeyError):
        pdfmetrics.getFont(REGULAR)


@pytest.mark.poppler
def test_the_pdf_renders_as_a_picture(tmp_path):
    certificate = issue(user("trainee"))
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(render_certificate_pdf(certificate))
    subprocess.run([shutil.which("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    assert width > height  # A4 landscape
    dark = sum(image.histogram()[:200])
    assert dark > width * height * 0.02, "the page is blank"
    # The heading (结业证书, bold red) is drawn: its band has ink well inside the border.
    band = image.crop((int(width * 0.3), int(height * 0.12), int(width * 0.7), int(height * 0.25)))
    assert sum(band.histogram()[:200]) > band.width * band.height * 0.05
