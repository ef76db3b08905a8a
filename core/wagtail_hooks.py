"""What core adds to the Wagtail admin: the college's admin stylesheet, 节假日与调休 (core.admin_calendar),
the day-by-day overrides and the periodic jobs' run records (superusers)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import admin_calendar  # noqa: F401 - its hooks: the year page, the menu item, the home warning
from core.models import WorkdayOverride


class WorkdayOverrideViewSet(SnippetViewSet):
    model = WorkdayOverride
    icon = "date"
    menu_label = "工作日调整"
    add_to_admin_menu = False  # reached from 节假日与调休, which shows the whole year
    list_display = ["date", "is_workday", "note"]


register_snippet(WorkdayOverrideViewSet)


@hooks.register("insert_global_admin_css")
def admin_stylesheet():
    """core/static/core/admin.css on every admin page: the admin templates of all apps carry class
    names only, never <style> blocks or style="" attributes."""
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin.css"))


@hooks.register("register_admin_viewset")
def register_job_run_viewset():
    from core.admin_jobs import JobRunViewSet  # read-only, superusers only

    return JobRunViewSet("job-runs")
