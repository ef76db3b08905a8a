"""The API edge: every domain's refusal comes out as one error body with its own status, documented once."""

import pytest
from django.test import Client

from cms.models import CoursePage

pytestmark = pytest.mark.django_db


def test_the_schema_documents_one_error_body(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    errors = [name for name in schemas if "Error" in name]
    assert errors == ["ErrorOut"], errors
    assert set(schemas["ErrorOut"]["properties"]) == {"code", "message"}


def test_refusals_of_two_domains_keep_their_code_and_status():
    client = Client()
    client.login(username="trainee01", password="demo12345")
    course = CoursePage.objects.live().first()
    course.unpublish()
    response = client.post(f"/api/v1/courses/{course.pk}/enroll")
    assert (response.status_code, response.json()["code"]) == (404, "course_unavailable")
    assert "尚未发布" in response.json()["message"]
    response = client.delete(f"/api/v1/courses/{CoursePage.objects.live().first().pk}/enroll")
    assert (response.status_code, response.json()["code"]) == (409, "not_enrolled")
    response = client.get("/api/v1/stats/orgs/1")  # a trainee is no administrator
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
