from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import pwa
from cms import views as cms_views
from config import health
from config.api import api

urlpatterns = [
    # One login for everyone (allauth, rate-limited): the other login forms redirect there.
    path("", include("orgs.urls_auth")),
    path("", include("orgs.urls_admin")),  # scoped replacements of Wagtail views that list trainees
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    # Before allauth's own: changing the password also ends the first-login requirement.
    path("accounts/", include("orgs.urls_account")),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", cms_views.search, name="search"),
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),  # the installable app
    path("sw.js", pwa.service_worker, name="pwa_service_worker"),  # at the root: its scope is the whole site
    path("offline/", pwa.offline, name="pwa_offline"),
    path("display/", pwa.display_mode, name="display_mode"),  # 大字模式 on/off
    path("daily/today/", cms_views.daily_today, name="daily_today"),  # the 08:30 entry point, one cached redirect
    path("daily/<slug:slug>/", cms_views.daily_lesson),  # the lesson itself without walking the page tree
    path("api/v1/", api.urls),
    path("me/notifications/", include("notifications.urls")),
    path("me/growth/", include("growth.urls")),
    path("me/certificates/", include("certificates.urls_me")),
    path("me/", include("learning.urls")),
    path("healthz/live", health.live, name="healthz-live"),  # liveness only: no database, broker or cache
    path("healthz", health.healthz, name="healthz"),  # database, broker, beat tick and growth catch-up ages
    path("quizzes/", include("assessments.urls")),
    path("classroom/", include("classroom.urls")),  # sessions, 签到, the calendar feed, 评教
    path("certificates/", include("certificates.urls")),  # public verification
]

if settings.SERVE_MEDIA:
    # Videos and images only: attachments go through Wagtail's document view and its privacy checks.
    urlpatterns += [
        re_path(r"^media/documents/", cms_views.page_not_found),
        re_path(r"^media/imports/", cms_views.page_not_found),  # trainee import files awaiting confirmation
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
