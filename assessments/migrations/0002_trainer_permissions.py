"""Trainers (培训导师) and content reviewers (内容审核) manage question banks, questions and quizzes."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUPS = ("培训导师", "内容审核")
MODELS = ("questionbank", "question", "quiz")
ACTIONS = ("add", "change", "delete", "view")


def _permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    using = schema_editor.connection.alias
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    return Permission.objects.using(using).filter(content_type__app_label="assessments", codename__in=codenames)


def grant(apps, schema_editor):
    # Permissions are normally created after `migrate` (post_migrate); create them now so they can be granted.
    app_config = global_apps.get_app_config("assessments")
    using = schema_editor.connection.alias
    create_contenttypes(app_config, verbosity=0, using=using, apps=apps)
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps, schema_editor))
    for name in GROUPS:
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps, schema_editor))
    for group in Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
