"""A trainee's certificates, mounted at /me/certificates/ (before learning's /me/)."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.me_certificates, name="me_certificates"),
    path("<int:certificate_id>.pdf", views.certificate_pdf, name="certificate_pdf"),
]
