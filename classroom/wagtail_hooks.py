"""What classroom adds to the Wagtail admin: 面授课程 (sessions), 签到报表 and 评教报表 under 报告."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from classroom import access, admin_views

register_snippet(admin_views.TrainingSessionViewSet)


class ClassroomReportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_see_reports(request.user)


REPORTS = [
    ("classroom/attendance/", admin_views.SessionAttendanceReport, "classroom_attendance_report"),
    ("classroom/attendance-by-class/", admin_views.ClassAttendanceReport, "classroom_class_attendance_report"),
]


@hooks.register("register_admin_urls")
def register_classroom_urls():
    urls = []
    for route, view, name in REPORTS:
        urls.append(path(route, view.as_view(), name=name))
        urls.append(path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"))
    return [
        *urls,
        path("classroom/evaluations/", admin_views.evaluations_index, name="classroom_evaluations"),
        path("classroom/evaluations/<str:kind>/<int:object_id>/", admin_views.evaluation_detail,
             name="classroom_evaluation_detail"),
    ]


@hooks.register("register_reports_menu_item")
def register_attendance_menu_item():
    return ClassroomReportMenuItem(gettext_lazy("签到明细"), reverse("classroom_attendance_report"),
                                   name="classroom-attendance", icon_name="date", order=120)


@hooks.register("register_reports_menu_item")
def register_class_attendance_menu_item():
    return ClassroomReportMenuItem(gettext_lazy("班级出勤汇总"), reverse("classroom_class_attendance_report"),
                                   name="classroom-class-attendance", icon_name="group", order=125)


@hooks.register("register_reports_menu_item")
def register_evaluations_menu_item():
    return ClassroomReportMenuItem(gettext_lazy("评教报表"), reverse("classroom_evaluations"),
                                   name="classroom-evaluations", icon_name="pick", order=130)
