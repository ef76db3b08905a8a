"""修改密码 (/accounts/password/change/, allauth): the site's page and card, every error in Chinese and
shown under the field it belongs to."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.helpers import login

pytestmark = pytest.mark.django_db
URL = "/accounts/password/change/"
FIELDS = ["oldpassword", "password1", "password2"]
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def test_the_page_wears_the_site_and_its_card():
    html = login("trainee").get(URL).content.decode()
    assert 'class="site-header"' in html and "cms/site.css" in html
    card = html[html.index('<div class="card narrow">'):]
    assert "<h1>修改密码</h1>" in card and 'class="account-form"' in card
    for name in FIELDS:
        assert f'name="{name}"' in card
    assert "Change Password" not in html and "Password" not in re.sub(r'type="password"', "", html)


def _errors_by_field(html: str) -> dict[str, list[str]]:
    """The error list after each field's input and before the next field's label (where a reader sees it)."""
    start = html.index('class="account-form"')
    form = html[start:html.index("</form>", start)]
    found = {}
    for n, name in enumerate(FIELDS):
        start = form.index(f'id="id_{name}"')
        end = form.index(f'for="id_{FIELDS[n + 1]}"') if n + 1 < len(FIELDS) else len(form)
        block = form[start:end]
        found[name] = re.findall(r"<li>([^<]+)</li>", block.split('class="meta helptext"')[0])
    return found


@pytest.mark.parametrize(("data", "expected"), [
    # a wrong current password, a short all-digit new one
    ({"oldpassword": "wrong", "password1": "1234", "password2": "1234"},
     {"oldpassword": ["当前密码"], "password1": ["密码太短", "全都是数字|只包含数字", "常见"], "password2": []}),
    # the right current password, a new one too like the username and too short
    ({"oldpassword": "demo12345", "password1": "trainee", "password2": "trainee"},
     {"oldpassword": [], "password1": ["相似", "密码太短"], "password2": []}),
    # two different new passwords
    ({"oldpassword": "demo12345", "password1": "Shequ#2026!xy", "password2": "Shequ#2026!xz"},
     {"oldpassword": [], "password1": [], "password2": ["相同"]}),
])
def test_each_error_is_chinese_and_under_its_own_field(data, expected):
    response = login("trainee").post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    shown = _errors_by_field(html)
    for name, patterns in expected.items():
        assert len(shown[name]) == len(patterns), (name, shown[name])
        for pattern in patterns:
            assert any(re.search(pattern, message) for message in shown[name]), (name, pattern, shown[name])
        for message in shown[name]:
            assert not LATIN_WORD.search(message), f"English under {name}: {message}"
        if patterns:
            assert f'id="id_{name}"' in html and 'aria-invalid="true"' in html
    assert User.objects.get(username="trainee").check_password("demo12345"), "nothing changed"


def test_a_blank_form_says_so_in_chinese_under_every_field():
    shown = _errors_by_field(login("trainee").post(URL, {}).content.decode())
    assert all(len(shown[name]) == 1 and not LATIN_WORD.search(shown[name][0]) for name in FIELDS), shown


@pytest.mark.parametrize("password", ["1", "12345678", "password", "trainee", "abc", "Trainee2"])
def test_every_password_rule_speaks_chinese(password):
    """Django's validators are translated, except the length rule, whose msgid Django 5.2 changed."""
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User.objects.get(username="trainee"))
    for message in refused.value.messages:
        assert not LATIN_WORD.search(message), message


def test_a_good_password_is_changed():
    client = login("trainee")
    response = client.post(URL, {"oldpassword": "demo12345", "password1": "Shequ#2026!xy",
                                 "password2": "Shequ#2026!xy"})
    assert response.status_code == 302
    assert User.objects.get(username="trainee").check_password("Shequ#2026!xy")
