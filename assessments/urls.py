from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:quiz_id>/", views.quiz_detail, name="quiz"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
]
