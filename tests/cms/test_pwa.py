"""The installable app: manifest, service worker, offline page, 大字模式 and what 退出 clears."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_manifest_meets_the_install_criteria(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "社区干部网络学院" and manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    sizes = set()
    for icon in manifest["icons"]:
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            sizes.add(image.width)
    assert {192, 512} <= sizes
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").content.decode()


def test_the_service_worker_is_served_from_the_root_and_keeps_only_this_sites_files(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"] and response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    shell = json.loads("[" + re.search(r"const SHELL_URLS = \[(.*?)\];", script).group(1) + "]")
    assert "/offline/" in shell and "/static/cms/site.css" in shell
    for url in shell:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert client.get(url).status_code == 200, url
    assert "http://" not in script and "https://" not in script
    assert '"/api/"' not in script  # nothing of the API is ever answered from a cache


def test_the_offline_page_says_what_still_works(client):
    html = client.get("/offline/").content.decode()
    assert "网络未连接" in html and "离线阅读" in html


def test_large_text_mode_is_switched_on_and_off_and_stays_on_this_site(client):
    assert 'class="large-text"' not in client.get("/courses/").content.decode()
    response = client.post("/display/", {"text": "large", "next": "/courses/"})
    assert response.status_code == 302 and response["Location"] == "/courses/"
    html = client.get("/courses/").content.decode()
    assert '<html lang="zh-Hans" class="large-text">' in html and "关闭大字模式" in html
    assert client.post("/display/", {"text": "standard", "next": "https://evil.example/"})["Location"] == "/"
    assert 'class="large-text"' not in client.get("/courses/").content.decode()


def test_logging_out_clears_what_the_phone_kept():
    trainee = login("trainee")
    assert "Clear-Site-Data" not in trainee.get("/me/")
    response = trainee.post("/accounts/logout/")
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"cache", "storage"'
    assert login("trainee").get("/accounts/logout/").get("Clear-Site-Data") is None  # the GET only asks


def test_the_service_worker_is_the_same_for_everyone_and_a_repeat_check_is_a_304():
    trainee, visitor = login("trainee"), Client()
    first = trainee.get("/sw.js")
    assert first.content == visitor.get("/sw.js").content  # nothing of the person in it
    assert trainee.get("/sw.js", headers={"if-none-match": first["ETag"]}).status_code == 304
    with CaptureQueriesContext(connection) as queries:
        trainee.get("/sw.js")
    assert [q["sql"] for q in queries.captured_queries if "learning_notification" in q["sql"]] == []
