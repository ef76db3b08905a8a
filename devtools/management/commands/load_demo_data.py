"""`manage.py load_demo_data`: the demo college. Idempotent; refuses to run on production settings."""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from devtools.demo import activity, classes, classroom, pages, people, quizzes

DEFER_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class Command(BaseCommand):
    help = "Load the demo college (organisations, accounts, courses, daily lessons, cases). Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--skip-index", action="store_true", help="do not rebuild the search index")

    def handle(self, *args, **options):
        if not settings.COLLEGE_ALLOW_DEMO_DATA:
            raise CommandError("拒绝执行：当前是生产环境配置，演示数据只能加载到开发或测试环境。")
        logging.getLogger("wagtail").setLevel(logging.WARNING)  # one line per page is noise here
        now = timezone.localtime()
        # Indexing ~100 new pages one Celery message at a time would keep a fresh worker busy for a
        # minute; the command indexes everything in one pass at the end instead.
        with override_settings(TASKS=DEFER_TASKS), transaction.atomic():
            people.ensure_organizations()
            created = pages.load_content(now)
            home = pages.ensure_site()["home"]
            trainers, reviewers = people.ensure_editorial_setup(home)
            created["accounts"] = people.ensure_accounts(trainers, reviewers)
            created["training_classes"] = classes.ensure_training_classes()
            created["ledger_history"] = activity.ensure_activity(now)
            created["quizzes"] = quizzes.load_quizzes()
            created["classroom_sessions"] = classroom.ensure_sessions(now)
        if not options["skip_index"]:
            call_command("update_index", verbosity=0)
            call_command("rebuild_references_index", verbosity=0)
        summary = "，".join(f"{key} +{value}" for key, value in created.items())
        self.stdout.write(self.style.SUCCESS(f"演示学院已就绪（本次新增：{summary}）"))
