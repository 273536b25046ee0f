"""Media stay in the data folder by default; AGORA_HUB_S3_* variables move them to an S3-compatible bucket."""

import pytest

from hub.env import EnvError
from hub.storage_settings import hub_storages


def test_media_live_in_the_data_folder_by_default():
    assert hub_storages({})["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_an_s3_bucket_keeps_the_media_private():
    storages = hub_storages({
        "AGORA_HUB_S3_BUCKET": "musee-agora", "AGORA_HUB_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "AGORA_HUB_S3_ACCESS_KEY_ID": "agora", "AGORA_HUB_S3_SECRET_ACCESS_KEY": "secret",
        "AGORA_HUB_S3_PATH_STYLE": "true",
    })
    options = storages["default"]["OPTIONS"]
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "musee-agora"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["addressing_style"] == "path"


def test_a_bad_path_style_value_names_the_variable():
    with pytest.raises(EnvError, match="AGORA_HUB_S3_PATH_STYLE"):
        hub_storages({"AGORA_HUB_S3_BUCKET": "b", "AGORA_HUB_S3_PATH_STYLE": "maybe"})
