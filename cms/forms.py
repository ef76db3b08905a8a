"""The page editor's forms (each page type's `base_form_class`): the schedule dialog's date-time pickers
offer minutes, and a new daily lesson goes live at 08:30 (Beijing time) of its date unless the trainer
chooses another go-live time. Defaults live here, in the form, not in `save()`."""

from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput

SCHEDULE_FIELDS = ("go_live_at", "expire_at")


class MinuteDateTimeInput(AdminDateTimeInput):
    """Wagtail's picker lists whole hours only (the jQuery datetimepicker's `step` defaults to 60
    minutes): 08:30 could only be typed. This one lists every `minute_step` minutes."""

    minute_step = 5

    def get_config(self):
        return {**super().get_config(), "step": self.minute_step}


def minute_picker(widget: AdminDateTimeInput) -> MinuteDateTimeInput:
    """The same picker (attributes, dialog it opens in) with minutes."""
    return MinuteDateTimeInput(attrs=widget.attrs, js_overlay_parent_selector=widget.js_overlay_parent_selector)


class CollegePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCHEDULE_FIELDS:
            field = self.fields.get(name)
            if field is not None and type(field.widget) is AdminDateTimeInput:
                field.widget = minute_picker(field.widget)


class DailyLessonPageForm(CollegePageForm):
    """A new daily lesson left without a go-live time goes live at 08:30 of its lesson date: publishing
    it schedules it (or publishes it at once when that moment has passed). An existing lesson keeps
    whatever schedule it has."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and "go_live_at" in self.fields:
            self.fields["go_live_at"].help_text = gettext_lazy("不填则在课程日期当天 08:30（北京时间）上线。")

    def clean(self):
        from cms.models.daily import publish_moment

        day = self.cleaned_data.get("lesson_date")
        if (self.instance._state.adding and day and "go_live_at" in self.fields and "go_live_at" not in self.errors
                and not self.cleaned_data.get("go_live_at")):
            self.cleaned_data["go_live_at"] = publish_moment(day)
        return super().clean()
