"""Tracks and trainers are edited as snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import Track, Trainer


class TrackViewSet(SnippetViewSet):
    model = Track
    icon = "list-ul"
    list_display = ["name", "slug", "sort_order"]


class TrainerViewSet(SnippetViewSet):
    model = Trainer
    icon = "user"
    list_display = ["name", "title"]


class TeachingGroup(SnippetViewSetGroup):
    items = (TrackViewSet, TrainerViewSet)
    menu_label = "教学资源"
    menu_icon = "folder-open-inverse"


register_snippet(TeachingGroup)
