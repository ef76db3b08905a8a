"""Classroom training, mounted at /classroom/: the trainee's pages, then the trainer's under teach/."""

from django.urls import path

from classroom import views, views_trainer

app_name = "classroom"

urlpatterns = [
    path("", views.my_sessions, name="sessions"),
    path("sessions/<int:session_id>/signup/", views.signup, name="signup"),
    path("sessions/<int:session_id>/evaluate/", views.session_evaluation, name="session_evaluation"),
    path("courses/<int:course_id>/evaluate/", views.course_evaluation, name="course_evaluation"),
    path("checkin/", views.checkin_code, name="checkin_code"),
    path("checkin/<str:token>/", views.checkin_token, name="checkin_token"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:feed_token>.ics", views.calendar_ics, name="calendar_feed"),
    path("teach/", views_trainer.teach, name="teach"),
    path("teach/sessions/<int:session_id>/", views_trainer.session_roster, name="roster"),
    path("teach/sessions/<int:session_id>/checkin/", views_trainer.checkin_screen, name="checkin_screen"),
    path("teach/sessions/<int:session_id>/checkin/open/", views_trainer.checkin_open, name="checkin_open"),
    path("teach/sessions/<int:session_id>/checkin/close/", views_trainer.checkin_close, name="checkin_close"),
    path("teach/sessions/<int:session_id>/checkin/code.json", views_trainer.checkin_code_json, name="checkin_json"),
    path("teach/sessions/<int:session_id>/mark/", views_trainer.attendance_mark, name="mark"),
]
