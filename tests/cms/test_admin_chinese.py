"""The page editor speaks Chinese: the strings Wagtail 8's zh_Hans catalogs leave in English (the schedule
dialog, content checks, keyboard shortcuts, the page listing, the editor's JavaScript) are translated
in locale/zh_Hans/LC_MESSAGES (django.po / djangojs.po, compiled .mo files committed beside them)."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import wagtail
from django.utils import timezone
from django.utils.translation import trans_real

from cms.models import CoursePage, DailyLessonIndexPage, DailyLessonPage
from tests.cms.factories import daily_lesson
from tests.helpers import login

pytestmark = pytest.mark.django_db

SCHEDULE_DIALOG = {  # English → Chinese, as a trainer (no publish permission) sees them
    "Choose when this page should go live and/or expire": "选择此页面的上线时间和过期时间",
    "Anyone with editing permissions can create schedules": "有编辑权限的人都可以设置发布计划",
    "But only those with publishing permissions can make them effective.": "但只有具有发布权限的人才能让计划生效。",
}
EDITOR = {
    "Content metrics": "内容统计",
    "Reading time": "阅读时长",
    "Show keyboard shortcuts": "显示键盘快捷键",
    "Paste without formatting": "粘贴为纯文本",
    "Choose who can view the live version of this page": "选择谁可以查看此页面的已发布版本",
    "Autosave is paused": "自动保存已暂停",
}


def _editor_urls() -> list[str]:
    daily = DailyLessonPage.objects.live().first()
    course = CoursePage.objects.live().first()
    index = DailyLessonIndexPage.objects.get()
    return [f"/admin/pages/{daily.pk}/edit/", f"/admin/pages/{course.pk}/edit/",
            f"/admin/pages/add/cms/dailylessonpage/{index.pk}/", f"/admin/pages/{index.pk}/"]


def test_the_schedule_dialog_and_the_editor_are_in_chinese():
    client = login("trainer")
    for url in _editor_urls()[:2]:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        dialog = html.split('id="schedule-publishing-dialog"')[1].split("</template>")[0]
        for english, chinese in SCHEDULE_DIALOG.items():
            assert chinese in dialog and english not in html, (url, english)
        assert "设置发布计划" in dialog and "上线日期/时间" in dialog
        for english, chinese in EDITOR.items():
            assert chinese in html and english not in html, (url, english)


def test_a_draft_with_a_go_live_time_offers_schedule_to_publish_in_chinese():
    day = timezone.localdate() + dt.timedelta(days=60)
    lesson = daily_lesson(day)
    lesson.unpublish()
    lesson.go_live_at = timezone.now() + dt.timedelta(days=60)
    lesson.save_revision()
    html = login("admin").get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "计划发布" in html and "Schedule to publish" not in html
    assert "选择“计划发布”后，此发布计划才会生效" in html


def test_the_editor_asks_for_no_string_the_chinese_catalogs_lack(monkeypatch):
    """Render the editor, the add form and the listing as a trainer and as a superuser while recording
    every gettext lookup that comes back untranslated: a Wagtail upgrade that adds English strings
    fails here, naming them (add them to locale/zh_Hans/LC_MESSAGES/django.po and recompile)."""
    untranslated = set()
    original_gettext, original_ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def gettext(self, message):
        result = original_gettext(self, message)
        if result == message and re.search(r"[A-Za-z]{2}", message.split("\x04")[-1]):
            untranslated.add(message)
        return result

    def ngettext(self, singular, plural, number):
        result = original_ngettext(self, singular, plural, number)
        if result in (singular, plural) and re.search(r"[A-Za-z]{2}", singular):
            untranslated.add(singular)
        return result

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)
    for username in ("trainer", "admin"):
        client = login(username)
        for url in _editor_urls():
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200
    catalog = trans_real.translation("zh-hans")._catalog
    # Strings whose Chinese is spelled the same (e.g. "%s MB") are in the catalog: not missing.
    missing = sorted(m for m in untranslated if m not in catalog and (m, 0) not in catalog)
    assert missing == []


def test_every_string_of_the_admin_javascript_is_translated():
    """wagtailadmin's djangojs catalog (the editor's JavaScript: autosave, blocks, readability, …)."""
    source = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    msgids = {m for m in re.findall(r'^msgid "(.+)"$', source.read_text(), re.MULTILINE)}
    script = login("trainer").get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.DOTALL).group(1))
    assert msgids and msgids - set(catalog) == set()
    assert catalog["Split block"] == "拆分内容块" and catalog["%(num)s min"] == ["%(num)s 分钟"]
