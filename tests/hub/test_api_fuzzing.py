"""Generated requests, valid and invalid, as the Hall kiosk: never a 5xx, every answer as the schema documents."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 70  # nine operations: well over 500 requests in all


def test_generated_requests_get_documented_answers(live_server, client, tapestry, hall, settings_for_fuzzing):
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {hall.token}"
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)))
        def check(case):
            nonlocal sent
            if "Authorization" in (case.headers or {}):
                del case.headers["Authorization"]
            sent += 1
            case.call_and_validate(base_url=live_server.url, session=session, checks=CHECKS)

        check()
    assert sent >= 500


@pytest.fixture
def settings_for_fuzzing(settings):
    """Room for the generated requests under the rate limits; the pairing codes guessed stay unknown."""
    settings.AGORA_HUB_RATE_LIMITS = {scope: (100_000, 60) for scope in settings.AGORA_HUB_RATE_LIMITS}
    return settings
