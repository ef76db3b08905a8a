"""Demo organisations, roles and accounts, and the editorial setup (groups, moderation workflow)."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.models import Trainer
from orgs.api import OrgAdminRole, Organization, TraineeProfile

DEMO_PASSWORD = "demo12345"
TRAINERS_GROUP = "培训导师"
REVIEWERS_GROUP = "内容审核"
ORG_ADMINS_GROUP = "组织管理员"  # Wagtail admin access for organisation administrators (trainee import)

# (name, code, children) — a small province with 2 cities, 3 districts, 6 streets, 12 communities.
ORG_TREE = (
    "吉林省（演示）", "22", [
        ("长春市", "2201", [
            ("朝阳区", "220104", [
                ("红旗街道", "22010401", [("长山花园社区", "2201040101", []), ("红旗社区", "2201040102", [])]),
                ("南湖街道", "22010402", [("南湖社区", "2201040201", []), ("湖西社区", "2201040202", [])]),
            ]),
            ("南关区", "220102", [
                ("永吉街道", "22010201", [("永安社区", "2201020101", []), ("吉顺社区", "2201020102", [])]),
                ("自由大路街道", "22010202", [("自由社区", "2201020201", []), ("东岭社区", "2201020202", [])]),
            ]),
        ]),
        ("吉林市", "2202", [
            ("船营区", "220204", [
                ("北京路街道", "22020401", [("北山社区", "2202040101", []), ("临江社区", "2202040102", [])]),
                ("德胜街道", "22020402", [("德胜社区", "2202040201", []), ("松江社区", "2202040202", [])]),
            ]),
        ]),
    ],
)
LEVELS = [Organization.Level.PROVINCE, Organization.Level.CITY, Organization.Level.DISTRICT,
          Organization.Level.STREET, Organization.Level.COMMUNITY]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
GIVEN = ["秀英", "建华", "丽娟", "国强", "海燕", "志刚", "春梅", "晓东", "玉兰", "立新", "红霞", "卫东", "静", "敏", "磊", "洋"]


def _ensure_org(name: str, code: str, children, depth: int, parent: Organization | None) -> None:
    node = Organization.objects.filter(code=code).first()
    if node is None:
        fields = {"name": name, "code": code, "level": LEVELS[depth]}
        node = parent.add_child(**fields) if parent else Organization.add_root(**fields)
    for child in children:
        _ensure_org(*child, depth=depth + 1, parent=node)


def ensure_organizations() -> None:
    _ensure_org(*ORG_TREE, depth=0, parent=None)


def _perms(*codenames_by_app: tuple[str, str]) -> list[Permission]:
    return [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in codenames_by_app]


def ensure_editorial_setup(home: Page) -> tuple[Group, Group]:
    """Trainers write and submit; reviewers approve and publish through a moderation workflow."""
    trainers, _ = Group.objects.get_or_create(name=TRAINERS_GROUP)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    admin_access = _perms(("wagtailadmin", "access_admin"))
    snippet_perms = [
        p for p in Permission.objects.filter(content_type__app_label="cms", codename__in=[
            "add_track", "change_track", "add_trainer", "change_trainer"])
    ]
    # The question-bank permissions assessments' migration 0002 grants (again here: a flushed test database
    # keeps the migrations' effects only if the loader restores them).
    bank_perms = list(Permission.objects.filter(content_type__app_label="assessments", codename__in=[
        f"{action}_{model}" for model in ("questionbank", "question", "quiz")
        for action in ("add", "change", "delete", "view")]))
    trainers.permissions.add(*admin_access, *snippet_perms, *bank_perms)
    reviewers.permissions.add(*admin_access, *snippet_perms, *bank_perms)
    page_ct = ContentType.objects.get_for_model(Page)
    for group, codes in ((trainers, ["add_page", "change_page"]), (reviewers, ["add_page", "change_page", "publish_page"])):
        for code in codes:
            permission = Permission.objects.get(content_type=page_ct, codename=code)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for group in (trainers, reviewers):
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"), ("wagtailmedia", "media")):
            for action in ("add", "change", "choose"):
                permission = Permission.objects.filter(content_type__app_label=app, codename=f"{action}_{model}").first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    task = GroupApprovalTask.objects.filter(name="内容审核").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="内容审核")
        task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name="课程与案例发布审核")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return trainers, reviewers


def _user(username: str, password_hash: str, *, first_name: str = "", **flags) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"password": password_hash, "first_name": first_name, **flags}
    )
    return user


def ensure_accounts(trainers: Group, reviewers: Group) -> int:
    before = User.objects.count()
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: 35 accounts share the demo password
    _user("admin", password_hash, first_name="系统管理员", is_staff=True, is_superuser=True, email="admin@example.com")
    trainer = _user("trainer", password_hash, first_name="李红", email="trainer@example.com")
    trainer.groups.add(trainers)
    chief = Trainer.objects.filter(title=Trainer.Title.CHIEF).order_by("id").first()
    if chief and chief.user_id is None and not Trainer.objects.filter(user=trainer).exists():
        chief.user = trainer
        chief.save(update_fields=["user"])
    reviewer = _user("reviewer", password_hash, first_name="审核员", email="reviewer@example.com")
    reviewer.groups.add(reviewers)

    district = Organization.objects.get(code="220104")
    street = Organization.objects.get(code="22010401")
    org_admins, _ = Group.objects.get_or_create(name=ORG_ADMINS_GROUP)
    # The trainee list (scoped to their subtree in orgs.admin_trainees) and training classes.
    org_admins.permissions.add(*_perms(
        ("wagtailadmin", "access_admin"), ("orgs", "view_traineeprofile"), ("orgs", "change_traineeprofile"),
        ("learning", "view_trainingclass"), ("learning", "add_trainingclass"), ("learning", "change_trainingclass"),
    ))
    for username, name, org in (("district_admin", "朝阳区管理员", district), ("street_admin", "红旗街道管理员", street)):
        admin = _user(username, password_hash, first_name=name)
        OrgAdminRole.objects.get_or_create(user=admin, organization=org)
        admin.groups.add(org_admins)

    communities = list(Organization.objects.filter(level=Organization.Level.COMMUNITY).order_by("code"))
    home = Organization.objects.get(code="2201040101")
    positions = [p for p, _ in TraineeProfile.Position.choices]
    people = [("trainee", "张小梅")] + [
        (f"trainee{n:02d}", SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]) for n in range(1, 31)
    ]
    for n, (username, name) in enumerate(people):
        user = _user(username, password_hash, first_name=name)
        TraineeProfile.objects.get_or_create(
            user=user,
            defaults={
                "real_name": name,
                "phone": f"1390431{n:04d}",
                # `trainee` lives in 长山花园社区, inside street_admin's and district_admin's scope.
                "organization": home if n == 0 else communities[n % len(communities)],
                "position": positions[n % len(positions)],
                "joined_on": dt.date(2018 + n % 8, 1 + n % 12, 1),
            },
        )
    return User.objects.count() - before
