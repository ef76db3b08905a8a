"""Snippet admin views for objects an administrator reaches only inside their own subtree (training
classes, classroom sessions): an object outside it does not exist for them (404, not 403), and the
chooser offers only what is inside. Each app passes its one scope rule; nothing here knows the tree."""

from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views import snippets as snippet_views


def scoped_snippet_views(*, in_scope: Callable, objects_in_scope: Callable) -> SimpleNamespace:
    """View classes for a SnippetViewSet: `in_scope(user, obj)` decides one object, `objects_in_scope(user)`
    is the queryset of all the user may reach. Returns edit, delete, copy, usage, history and chooser."""

    class ScopedObjectMixin:
        def get_object(self, *args, **kwargs):
            obj = super().get_object(*args, **kwargs)
            if obj is not None and not (self.request.user.is_authenticated and in_scope(self.request.user, obj)):
                raise Http404
            return obj

    class CopyView(snippet_views.CopyView):
        def get_object(self, queryset=None):
            # Wagtail's copy view checks the permission policy (403); answer like the other views: 404.
            get_object_or_404(objects_in_scope(self.request.user), pk=unquote(str(self.kwargs[self.pk_url_kwarg])))
            return super().get_object(queryset)

    class ChooseView(snippet_choosers.ChooseView):
        def get_object_list(self):
            return objects_in_scope(self.request.user)

    class ChooseResultsView(snippet_choosers.ChooseResultsView):
        def get_object_list(self):
            return objects_in_scope(self.request.user)

    class ChosenView(snippet_choosers.SnippetChosenView):
        def get_object(self, pk):
            return objects_in_scope(self.request.user).get(pk=pk)

    class ChooserViewSet(snippet_choosers.SnippetChooserViewSet):
        choose_view_class = ChooseView
        choose_results_view_class = ChooseResultsView
        chosen_view_class = ChosenView

    return SimpleNamespace(
        scoped=ScopedObjectMixin,
        edit=type("EditView", (ScopedObjectMixin, snippet_views.EditView), {}),
        delete=type("DeleteView", (ScopedObjectMixin, snippet_views.DeleteView), {}),
        usage=type("UsageView", (ScopedObjectMixin, snippet_views.UsageView), {}),
        history=type("HistoryView", (ScopedObjectMixin, snippet_views.HistoryView), {}),
        copy=CopyView, chooser=ChooserViewSet,
    )
