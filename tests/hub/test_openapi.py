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
        "/api/v1/kiosk/gallery",
        "/api/v1/kiosk/contributions/{uuid}",
        "/api/v1/kiosk/blobs/sha256/{sha256}",
        "/api/v1/kiosk/heartbeat",
        "/api/v1/kiosk/token/rotate",
        "/api/v1/items",
    }


KIOSK = {"401", "403", "429"}


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/kiosk/pair", "post", {"201", "400", "415", "422", "429"}),
        ("/api/v1/kiosk/config", "get", {"200", "304", *KIOSK}),
        ("/api/v1/kiosk/gallery", "get", {"200", "422", *KIOSK}),
        ("/api/v1/kiosk/contributions/{uuid}", "put", {"200", "201", "409", "415", "422", *KIOSK}),
        ("/api/v1/kiosk/blobs/sha256/{sha256}", "head", {"200", "404", "422", *KIOSK}),
        (
            "/api/v1/kiosk/blobs/sha256/{sha256}",
            "put",
            {"200", "201", "202", "400", "409", "411", "413", "415", "422", *KIOSK},
        ),
        ("/api/v1/kiosk/heartbeat", "post", {"200", "415", "422", *KIOSK}),
        ("/api/v1/kiosk/token/rotate", "post", {"200", *KIOSK}),
        ("/api/v1/items", "get", {"200", "422", "429"}),
    ],
)
def test_each_operation_declares_its_error_answers(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


@pytest.mark.parametrize(
    ("method", "status", "headers"),
    [
        ("head", "200", {"Upload-Offset", "Upload-Complete", "Cache-Control"}),
        ("put", "202", {"Upload-Offset", "Upload-Complete", "Cache-Control"}),
        ("put", "409", {"Upload-Offset", "Upload-Complete"}),
        ("put", "429", {"Retry-After"}),
    ],
)
def test_the_blob_answers_declare_their_headers(schema, method, status, headers):
    response = schema["paths"]["/api/v1/kiosk/blobs/sha256/{sha256}"][method]["responses"][status]
    assert headers <= set(response["headers"])


def test_the_blob_upload_declares_its_content_range_and_binary_bodies(schema):
    operation = schema["paths"]["/api/v1/kiosk/blobs/sha256/{sha256}"]["put"]
    assert "Content-Range" in [parameter["name"] for parameter in operation["parameters"]]
    assert {"image/jpeg", "audio/flac"} <= set(operation["requestBody"]["content"])


def test_the_config_declares_its_etag(schema):
    assert "ETag" in schema["paths"]["/api/v1/kiosk/config"]["get"]["responses"]["200"]["headers"]


def test_kiosk_calls_declare_bearer_auth_but_pairing_does_not(schema):
    assert schema["paths"]["/api/v1/kiosk/config"]["get"]["security"]
    assert "security" not in schema["paths"]["/api/v1/kiosk/pair"]["post"]


def test_the_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content
