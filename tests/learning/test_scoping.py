"""Administrator scope, function by function, on the demo tree: 朝阳区 ⊃ 红旗街道 ⊃ 长山花园社区."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from wagtail.models import Page

from learning import scoping
from learning.models import Certificate, JournalEntry, Organization, TraineeProfile
from tests.helpers import org

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


def codes(queryset, field="code"):
    return set(queryset.values_list(field, flat=True))


def test_an_administrator_sees_their_whole_subtree_and_nothing_beside_it():
    street = codes(scoping.organizations_in_scope(user("street_admin")))
    assert street == {"22010401", "2201040101", "2201040102"}
    district = codes(scoping.organizations_in_scope(user("district_admin")))
    assert street < district and "22010402" in district and "220102" not in district
    assert codes(scoping.organizations_in_scope(user("admin"))) == codes(Organization.objects.all())
    assert not scoping.organizations_in_scope(user("trainee")).exists()


def test_trainees_in_scope_follow_their_organisation():
    street = scoping.trainees_in_scope(user("street_admin"))
    assert "trainee" in codes(street, "user__username")
    assert all(p.organization.path.startswith(org("22010401").path) for p in street)
    assert street.count() < scoping.trainees_in_scope(user("district_admin")).count()
    assert scoping.trainees_in_scope(user("admin")).count() == TraineeProfile.objects.count()
    assert not scoping.trainees_in_scope(user("trainee")).exists()


def test_can_manage_is_true_inside_the_subtree_only():
    street_admin = user("street_admin")
    assert scoping.can_manage(street_admin, org("22010401")) and scoping.can_manage(street_admin, org("2201040102"))
    assert not scoping.can_manage(street_admin, org("220104")) and not scoping.can_manage(street_admin, org("22010402"))
    assert scoping.can_manage(user("admin"), org("220102"))
    assert not scoping.can_manage(user("trainee"), org("2201040101"))


def test_who_is_an_administrator_and_who_a_trainer():
    assert scoping.is_org_admin(user("street_admin")) and scoping.is_org_admin(user("admin"))
    assert not scoping.is_org_admin(user("trainee")) and not scoping.is_org_admin(AnonymousUser())
    assert scoping.scope_roots(AnonymousUser()) == []
    assert scoping.is_trainer(user("trainer")) and scoping.is_trainer(user("reviewer"))
    assert scoping.is_trainer(user("admin"))
    assert not scoping.is_trainer(user("street_admin")) and not scoping.is_trainer(AnonymousUser())


def test_journal_entries_trainers_see_all_administrators_their_subtree_trainees_none():
    inside, outside = user("trainee"), TraineeProfile.objects.exclude(
        organization__path__startswith=org("220104").path).first().user
    for author in (inside, outside):
        JournalEntry.objects.create(user=author, page=Page.objects.live().last(), body="今天学习了网格化治理。")
    assert {inside.pk, outside.pk} <= set(scoping.journal_entries_in_scope(user("trainer")).values_list("user", flat=True))
    district = set(scoping.journal_entries_in_scope(user("district_admin")).values_list("user", flat=True))
    assert inside.pk in district and outside.pk not in district
    assert set(scoping.journal_entries_in_scope(user("admin")).values_list("user", flat=True)) >= {inside.pk, outside.pk}
    assert not scoping.journal_entries_in_scope(user("trainee01")).exists()


def test_certificates_in_scope_follow_the_holder():
    inside, outside = user("trainee"), TraineeProfile.objects.exclude(
        organization__path__startswith=org("220104").path).first().user
    for holder in (inside, outside):
        Certificate.objects.create(user=holder, kind=Certificate.Kind.ANNUAL, object_id=1999, title="年度学时证明",
                                   holder_name=holder.first_name, issued_on=dt.date(2026, 11, 24),
                                   issuer="社区干部网络学院", code=f"TEST{holder.pk:08d}")
    street = set(scoping.certificates_in_scope(user("street_admin")).values_list("user", flat=True))
    assert inside.pk in street and outside.pk not in street
    assert set(scoping.certificates_in_scope(user("admin")).values_list("user", flat=True)) >= {inside.pk, outside.pk}
    assert not scoping.certificates_in_scope(user("trainee")).exists()
