"""Question banks, questions and quizzes in the Wagtail admin (the "测验与题库" menu).

Plain Django model permissions decide who edits what (trainers and content reviewers receive them in
migration 0002). Question forms are validated by `Question.clean`, i.e. by
`assessments.validation.question_problems`, the same rules as the XLSX import and grading.
Listings carry links to the XLSX import/export and to each quiz's statistics.
"""

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from assessments.admin_import import can_export, can_import
from assessments.models import Question, QuestionBank, Quiz
from assessments.stats import can_view_stats
from cms.api import search_segmented


def _import_button(url: str) -> HeaderButton:
    return HeaderButton(_("从 Excel 导入"), url=url, icon_name="upload")


class QuestionBankIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if can_import(self.request.user):
            buttons.append(_import_button(reverse("assessments_question_import")))
        return buttons

    def get_list_buttons(self, instance):
        buttons = []
        user = self.request.user
        if can_import(user):
            buttons.append(ListingButton(_("导入试题"), url=reverse("assessments_question_import") + f"?bank={instance.pk}",
                                         icon_name="upload", priority=5))
        if can_export(user):
            buttons.append(ListingButton(_("导出 XLSX"), url=reverse("assessments_bank_export", args=[instance.pk]),
                                         icon_name="download", priority=6, attrs={"download": ""}))
        return buttons + super().get_list_buttons(instance)


class QuestionIndexView(IndexView):
    """题型 first as plain text; the (shortened) stem is the link to the edit form."""

    @cached_property
    def columns(self):
        columns = super().columns  # [bulk-actions checkbox, title column (kind), stem, bank, ...]
        stem = self._get_title_column("stem")
        stem.accessor = lambda question: Truncator(question.stem).chars(60)
        return [columns[0], self._get_custom_column("kind"), stem, *columns[3:]]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if can_import(self.request.user):
            bank = self.request.GET.get("bank", "")
            url = reverse("assessments_question_import") + (f"?bank={bank}" if bank.isdigit() else "")
            buttons.append(_import_button(url))
        return buttons


class QuizIndexView(IndexView):
    def get_list_buttons(self, instance):
        buttons = []
        if can_view_stats(self.request.user):
            buttons.append(ListingButton(_("统计"), url=reverse("assessments_quiz_stats", args=[instance.pk]),
                                         icon_name="table", priority=5))
        return buttons + super().get_list_buttons(instance)


class QuestionSearchForm(BaseFilterForm):
    """The quiz builder's question chooser searches like the site search: the query is segmented into
    Chinese words and each must occur among the question's indexed words (`Question.search_segmented`),
    so 网格 finds 社区网格员. Wagtail's default chooser searches the plain index, where a whole run of
    Chinese characters is one token, and finds nothing."""

    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("题干、选项、解析或标签中的词")}))

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects, _words = search_segmented(objects, query)
            self.is_searching = True
            self.search_query = query
        return objects


class QuestionChooseView(snippet_choosers.ChooseView):
    filter_form_class = QuestionSearchForm


class QuestionChooseResultsView(snippet_choosers.ChooseResultsView):
    filter_form_class = QuestionSearchForm


class QuestionChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-1"
    url_prefix = "assessments/banks"
    index_view_class = QuestionBankIndexView
    list_display = ["name", "track"]
    search_fields = ["name"]
    search_backend_name = None


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    url_prefix = "assessments/questions"
    index_view_class = QuestionIndexView
    chooser_viewset_class = QuestionChooserViewSet
    list_display = ["kind", "stem", "bank", "difficulty", "score"]
    list_filter = ["bank", "kind", "difficulty"]
    # The ORM's icontains finds any Chinese substring and sees imported questions at once.
    search_fields = ["stem"]
    search_backend_name = None
    list_per_page = 50

    def get_queryset(self, request):
        return Question.objects.select_related("bank")


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    url_prefix = "assessments/quizzes"
    index_view_class = QuizIndexView
    list_display = ["title", "page", "mode", "pass_mark"]
    list_filter = ["mode"]
    search_fields = ["title"]
    search_backend_name = None

    def get_queryset(self, request):
        return Quiz.objects.select_related("page")


class AssessmentsGroup(SnippetViewSetGroup):
    items = (QuestionBankViewSet, QuestionViewSet, QuizViewSet)
    menu_label = gettext_lazy("测验与题库")
    menu_icon = "tasks"
    menu_order = 250

