"""schemathesis over /api/v1 (in process, WSGI), with a trainee's and an administrator's API token:
every operation answers within its schema and never with a server error, whatever the input
(14 operations × 2 tokens × up to 25 generated cases each, deterministic)."""

from collections import Counter

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from learning.services import api_token_create
from tests.helpers import report

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# No server error and every response as documented. Left out: "schema-valid input must be accepted" —
# business rules beyond the schema (answers too long, an attempt already submitted) answer 4xx by design.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25
FUZZED: Counter = Counter()  # cases run per (operation, token)


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    operations = {operation for operation, _ in FUZZED}
    report(f"schemathesis: {sum(FUZZED.values())} cases over {len(operations)} API operations × "
           f"{len(FUZZED) // max(1, len(operations))} tokens (checks: {', '.join(c.__name__ for c in CHECKS)})")


pytestmark = pytest.mark.dateless


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """schemathesis calls the WSGI handler itself, which closes the database connection after each
    request (Django's test client switches that off); inside the test's transaction it must stay open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["trainee", "district_admin"])
def auth(request, db):
    _token, plaintext = api_token_create(user=User.objects.get(username=request.param), name="fuzz")
    return {"Authorization": f"Bearer {plaintext}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_never_errors_and_keeps_to_its_schema(case, auth):
    FUZZED[(case.operation.label, auth["Authorization"])] += 1
    case.call_and_validate(headers=auth, checks=CHECKS)
