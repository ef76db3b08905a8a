"""`manage.py load_demo_quizzes` (run by load_demo_data): demo banks and quizzes, idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import load_quizzes


class Command(BaseCommand):
    help = "Load the demo question banks and quizzes. Safe to repeat."

    def handle(self, *args, **options):
        if not getattr(settings, "COLLEGE_ALLOW_DEMO_DATA", False):
            raise CommandError("拒绝执行：当前是生产环境配置，演示数据只能加载到开发或测试环境。")
        self.stdout.write(f"测验：新增 {load_quizzes()} 个")
