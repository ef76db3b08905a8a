"""Public certificate verification, mounted at /certificates/ (no login: the QR code on the PDF points here)."""

from django.urls import path

from certificates import views

urlpatterns = [
    path("verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
