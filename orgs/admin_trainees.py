"""The trainee list in the Wagtail admin: scoped to the administrator's subtree, searchable,
filterable and exportable (CSV/XLSX through Wagtail's export, streamed chunk by chunk: a provincial
administrator's 100,000 trainees never sit in memory at once)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry

from core.api import StreamingExportMixin
from orgs import scoping
from orgs.models import TraineeProfile


class TraineeIndexView(StreamingExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return scoping.trainees_in_scope(self.request.user).order_by("organization__path", "real_name")


class TraineeEditView(generic.EditView):
    def get_queryset(self):
        # Another subtree's trainee id is a 404, exactly like a missing one.
        return scoping.trainees_in_scope(self.request.user)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["organization"].queryset = scoping.organizations_in_scope(self.request.user)
        return form


class ScopedObjectMixin:
    def get_base_object_queryset(self):
        return scoping.trainees_in_scope(self.request.user)  # another subtree's trainee: 404


class TraineeHistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class TraineeUsageView(ScopedObjectMixin, usage.UsageView):
    pass


class ScopedSiteHistoryView(LogEntriesView):
    """报告 › 站点历史 without other subtrees' trainees: their log entries are labelled with their names."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.request.user.is_superuser or queryset.model is not ModelLogEntry:
            return queryset
        visible = (scoping.trainees_in_scope(self.request.user).order_by()
                   .annotate(key=Cast("pk", CharField())).values("key"))
        trainees = ContentType.objects.get_for_model(TraineeProfile)
        return queryset.exclude(Q(content_type=trainees) & ~Q(object_id__in=visible))


class TraineeViewSet(ModelViewSet):
    model = TraineeProfile
    icon = "group"
    menu_label = _("学员")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = TraineeIndexView
    edit_view_class = TraineeEditView
    history_view_class = TraineeHistoryView
    usage_view_class = TraineeUsageView
    form_fields = ["real_name", "phone", "organization", "position", "joined_on"]
    list_display = ["real_name", "phone", "organization", "position", "joined_on"]
    list_filter = ["position"]
    search_fields = ["real_name", "phone"]
    list_export = ["real_name", "phone", "organization", "get_position_display", "joined_on"]
    export_headings = {"get_position_display": _("岗位"), "organization": _("所属组织")}
    export_filename = "trainees"
    inspect_view_enabled = False
