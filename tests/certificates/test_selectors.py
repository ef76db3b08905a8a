"""Which certificates an administrator sees (certificates.selectors), on the demo tree."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from certificates import selectors
from certificates.models import Certificate
from orgs.api import TraineeProfile
from tests.helpers import org

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


def test_certificates_in_scope_follow_the_holder():
    inside, outside = user("trainee"), TraineeProfile.objects.exclude(
        organization__path__startswith=org("220104").path).first().user
    for holder in (inside, outside):
        Certificate.objects.create(user=holder, kind=Certificate.Kind.ANNUAL, object_id=1999, title="年度学时证明",
                                   holder_name=holder.first_name, issued_on=dt.date(2026, 11, 24),
                                   issuer="社区干部网络学院", code=f"TEST{holder.pk:08d}")
    street = set(selectors.certificates_in_scope(user("street_admin")).values_list("user", flat=True))
    assert inside.pk in street and outside.pk not in street
    assert set(selectors.certificates_in_scope(user("admin")).values_list("user", flat=True)) >= {inside.pk, outside.pk}
    assert not selectors.certificates_in_scope(user("trainee")).exists()
