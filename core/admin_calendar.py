"""节假日与调休 in the Wagtail admin: a year's holidays and makeup workdays with the source that decided
each, the paste form that enters the State Council's schedule, and the warning on the admin home from
1 November until next year's schedule is confirmed. For users who may change `WorkdayOverride`."""


from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from core import calendar, holiday_schedule
from core import services as calendar_services
from core.models import CalendarYear

PERMISSION = "core.change_workdayoverride"
FIRST_YEAR, LAST_YEAR = 2004, 2100
WEEKDAYS = "一二三四五六日"


def may_edit(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def _forbidden(user) -> HttpResponseForbidden | None:
    if may_edit(user):
        return None
    return HttpResponseForbidden(_("只有可以调整工作日的管理员才能查看节假日与调休。"))


class ScheduleForm(forms.Form):
    schedule = forms.CharField(
        label=gettext_lazy("放假安排"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=gettext_lazy("每行一项：日期或日期范围、放假或上班、说明。例如「2月5日至11日 放假 春节」"
                               "「2月20日（星期六） 上班 春节调休」。已有的同一天会被更新。"))
    confirm = forms.BooleanField(label=gettext_lazy("以上是国务院公布的本年度全部安排，确认本年日历"), required=False)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_schedule(self):
        days, problems = holiday_schedule.parse_schedule(self.cleaned_data["schedule"], self.year)
        if problems:
            raise ValidationError(problems)
        self.cleaned_data["days"] = days
        return self.cleaned_data["schedule"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("days") and not cleaned.get("confirm"):
            raise ValidationError(_("请粘贴放假安排，或勾选确认本年日历。"))
        return cleaned


def special_days(year: int) -> list[calendar.CalendarDay]:
    """The days of `year` that are not plain Monday–Friday workdays or plain weekends, plus every day an
    administrator entered: what an administrator checks against the State Council's notice."""
    return [day for day in calendar.calendar_days(*calendar.year_days(year))
            if day.source == calendar.Source.OVERRIDE or day.name
            or day.is_workday != (day.date.weekday() < 5)]


def _starting_text(year: int, days: list[calendar.CalendarDay]) -> str:
    """The computed holidays, ready to correct and submit, while nothing has been entered for the year."""
    if calendar.published_year(year) or any(day.source == calendar.Source.OVERRIDE for day in days):
        return ""
    return holiday_schedule.schedule_text([(d.date, d.is_workday, d.name) for d in days
                                           if d.source == calendar.Source.COMPUTED])


def calendar_home(request):
    if denied := _forbidden(request.user):
        return denied
    missing = calendar.unconfirmed_years(timezone.localdate())
    return redirect("core_calendar_year", year=missing[-1] if missing else timezone.localdate().year)


def calendar_year(request, year: int):
    if denied := _forbidden(request.user):
        return denied
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    form = ScheduleForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        saved = calendar_services.schedule_save(year=year, days=form.cleaned_data["days"],
                                                confirm=form.cleaned_data["confirm"], user=request.user)
        if saved:
            messages.success(request, _("已保存 %(year)s 年 %(n)s 天的安排。") % {"year": year, "n": saved})
        if form.cleaned_data["confirm"]:
            messages.success(request, _("%(year)s 年的日历已确认。") % {"year": year})
        return redirect("core_calendar_year", year=year)
    days = special_days(year)
    if request.method == "GET":
        form.initial["schedule"] = _starting_text(year, days)
    confirmation = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    return render(request, "core/admin/calendar.html", {
        "year": year, "form": form, "confirmation": confirmation,
        "published": calendar.published_year(year),
        "rows": [{"day": day, "weekday": WEEKDAYS[day.date.weekday()]} for day in days],
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "prefilled": bool(form.initial.get("schedule")),
    }, status=400 if request.method == "POST" else 200)


@require_POST
def calendar_unconfirm(request, year: int):
    if denied := _forbidden(request.user):
        return denied
    calendar_services.schedule_unconfirm(year=year)
    messages.info(request, _("已撤销 %(year)s 年日历的确认。") % {"year": year})
    return redirect("core_calendar_year", year=year)


class CalendarWarningPanel(Component):
    """Above everything on the admin home while a year's schedule is due and not confirmed."""

    name = "core_calendar_warning"
    template_name = "core/admin/calendar_warning.html"
    order = 10

    def __init__(self, years: list[int]):
        self.years = years

    def get_context_data(self, parent_context):
        return {"years": self.years, "url": reverse("core_calendar_year", args=[self.years[-1]])}


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    if may_edit(request.user) and (years := calendar.unconfirmed_years(timezone.localdate())):
        panels.insert(0, CalendarWarningPanel(years))


@hooks.register("register_admin_urls")
def register_calendar_urls():
    return [
        path("calendar/", calendar_home, name="core_calendar"),
        path("calendar/<int:year>/", calendar_year, name="core_calendar_year"),
        path("calendar/<int:year>/unconfirm/", calendar_unconfirm, name="core_calendar_unconfirm"),
    ]


class CalendarMenuItem(MenuItem):
    def is_shown(self, request):
        return may_edit(request.user)


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    return CalendarMenuItem(gettext_lazy("节假日与调休"), reverse("core_calendar"), name="holiday-calendar",
                            icon_name="date", order=230)
