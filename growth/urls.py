"""The growth page (成长档案), mounted at /me/growth/ (before learning's /me/)."""

from django.urls import path

from growth import views

app_name = "growth"

urlpatterns = [
    path("", views.growth, name="growth"),
    path("<int:user_id>/", views.growth, name="growth_of"),
]
