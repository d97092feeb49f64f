"""The API fuzzed from its own OpenAPI schema (schemathesis): no 5xx, ever, and every answer as documented.

Runs in-process against the WSGI application, inside the test's transaction, as backbone staff
(so every endpoint, the staff-only POST included, is really exercised), with a handful of people
and organizations in the database so lists and details have something to return.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from alliance.api import services
from alliance.measure.tests.loads import load
from alliance.measure.tests.test_dashboards import SMALL
from alliance.network.models import Organization, Person
from alliance.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Per operation and generation mode: ten operations, two modes, about 30 s in all on a laptop.
EXAMPLES = 25


@pytest.fixture
def same_connection():
    """Let the WSGI app share the test's transaction, as Django's own test client does.

    Django closes "old" database connections at the start and end of each request; inside a
    test transaction that would throw the test's data away.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(alice, sam, mia, tmp_path):
    dps = Organization.objects.create(name="Denver Public Schools", state_id="CO", sector_id="k12")
    figures = tmp_path / "wy.csv"  # so the measurement tables have rows, small cells among them
    figures.write_text("year,district,sex,n\n2023,0101,F,250\n2023,0101,M,4\n2024,0102,F,12\n2024,0102,M,*\n")
    load(figures, SMALL.replace("value: n}", "sex: sex, value: n}"))
    Person.objects.filter(pk=sam.pk).update(organization=dps)
    _token, key = services.api_token_create(user=alice.user, name="fuzz")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api_schema(db, same_connection):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


def test_it_loads_a_schema_with_every_operation(api_schema):
    labels = {operation.ok().label for operation in api_schema.get_all_operations()}
    assert labels == {
        "GET /api/network/people",
        "POST /api/network/people",
        "GET /api/network/people/{person_id}",
        "GET /api/network/organizations",
        "GET /api/network/organizations/{organization_id}",
        "GET /api/network/states",
        "GET /api/measure/indicators",
        "GET /api/measure/datasets",
        "GET /api/measure/tables/national",
        "GET /api/measure/tables/states/{state}",
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_it_answers_every_generated_request_as_documented(api_schema, staff_headers, mode):
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(headers=staff_headers, checks=CHECKS)

        answers_as_documented()
