"""Prints where the demo college runs and how to log in (called by `make run`)."""

import os

from django.core.management.base import BaseCommand

from devtools.demo.people import DEMO_PASSWORD

ACCOUNTS = [
    ("admin", "超级管理员（后台 /admin/）"),
    ("trainer", "培训导师：在后台编写课程、每日一课、案例并提交审核"),
    ("reviewer", "内容审核：审核并发布"),
    ("district_admin", "区管理员（长春市朝阳区）"),
    ("street_admin", "街道管理员（朝阳区红旗街道）"),
    ("trainee", "学员（长山花园社区）；另有 trainee01 … trainee30"),
]


class Command(BaseCommand):
    help = "Print the URL and the demo accounts."

    def handle(self, *args, **options):
        site = f"http://127.0.0.1:{os.environ.get('COLLEGE_PORT') or 8000}"
        lines = ["", f"社区干部网络学院已启动： {site}  （后台： {site}/admin/）",
                 f"演示账号（密码均为 {DEMO_PASSWORD}）："]
        lines += [f"  {name:<15} {role}" for name, role in ACCOUNTS]
        lines += ["按 Ctrl-C 同时停止网站、Celery worker 和 beat。", ""]
        self.stdout.write("\n".join(lines))
