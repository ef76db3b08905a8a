"""The one admin stylesheet (core/static/core/admin.css), loaded on every admin page by core's
insert_global_admin_css hook, in place of <style> blocks and style="" attributes in admin templates."""

import pytest
from django.contrib.staticfiles import finders

from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_every_admin_page_links_the_admin_stylesheet_and_the_dashboard_has_no_inline_styles():
    client = login("admin")
    home = client.get("/admin/")
    assert home.status_code == 200
    assert '<link rel="stylesheet" href="/static/core/admin.css">' in home.content.decode()
    assert finders.find("core/admin.css") is not None  # served by the static finders, no other host

    stats = client.get("/admin/stats/", follow=True)  # 学习统计 opens the first scope root's drill-down
    assert stats.status_code == 200 and stats.redirect_chain
    page = stats.content.decode()
    assert "data-stats-figures" in page  # the dashboard itself, not an error page
    assert "<style" not in page and ' style="' not in page
