"""The API describes itself: every path, and the error answers each one can give."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_names_the_api(schema):
    assert schema["info"]["title"] == "Agora API"
    assert schema["info"]["version"] == "1"


def test_every_path_is_listed(schema):
    assert set(schema["paths"]) == {
        "/api/v1/kiosk/pair",
        "/api/v1/kiosk/config",
        "/api/v1/kiosk/contributions/{uuid}",
        "/api/v1/items",
    }


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/kiosk/pair", "post", {"201", "400", "415", "422"}),
        ("/api/v1/kiosk/config", "get", {"200", "401"}),
        ("/api/v1/kiosk/contributions/{uuid}", "put", {"200", "201", "401", "409", "415", "422"}),
        ("/api/v1/items", "get", {"200", "422"}),
    ],
)
def test_each_operation_declares_its_error_answers(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


def test_kiosk_calls_declare_bearer_auth_but_pairing_does_not(schema):
    assert schema["paths"]["/api/v1/kiosk/config"]["get"]["security"]
    assert "security" not in schema["paths"]["/api/v1/kiosk/pair"]["post"]


def test_the_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content
