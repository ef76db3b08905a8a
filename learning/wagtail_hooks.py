"""Administrators edit workday overrides (2027's holidays and 调休) in the Wagtail admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.models import WorkdayOverride


class WorkdayOverrideViewSet(SnippetViewSet):
    model = WorkdayOverride
    icon = "date"
    menu_label = "工作日调整"
    add_to_admin_menu = True
    list_display = ["date", "is_workday", "note"]


register_snippet(WorkdayOverrideViewSet)
