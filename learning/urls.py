"""A trainee's own pages, mounted at /me/."""

from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.me, name="me"),
    path("history/", views.me_history, name="me_history"),
    path("tokens/", views.me_tokens, name="me_tokens"),
    path("tokens/<int:token_id>/revoke/", views.me_token_revoke, name="me_token_revoke"),
    path("courses/<int:course_id>/enrollment/", views.course_enrollment, name="course_enrollment"),
    path("journal/", views.me_journal, name="me_journal"),
    path("journal/new/<int:page_id>/", views.journal_new, name="journal_new"),
]
