"""What core adds to the Wagtail admin: 节假日与调休 (core.admin_calendar) and the day-by-day overrides."""

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
