"""Administrator scope, function by function, on the demo tree: 朝阳区 ⊃ 红旗街道 ⊃ 长山花园社区."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from orgs.api import Organization, TraineeProfile, scoping
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
    assert scoping.is_trainer(user("trainer")) and scoping.is_trainer(user("admin"))
    assert not scoping.is_trainer(user("reviewer")) and scoping.is_trainer_or_reviewer(user("reviewer"))
    assert not scoping.is_trainer(user("street_admin")) and not scoping.is_trainer(AnonymousUser())
