"""The hub's environment variables: typed, and a bad value names the variable."""

import subprocess
import sys
from pathlib import Path

import pytest

from hub.env import EnvError, envbool, envint, envlist, envsecret

ROOT = Path(__file__).resolve().parents[2]


def test_yes_no_values_are_read_and_anything_else_names_the_variable():
    assert envbool("AGORA_HUB_DEBUG", environ={"AGORA_HUB_DEBUG": "True"}) is True
    assert envbool("AGORA_HUB_DEBUG", environ={"AGORA_HUB_DEBUG": "0"}) is False
    assert envbool("AGORA_HUB_DEBUG", default=False, environ={}) is False
    with pytest.raises(EnvError, match="AGORA_HUB_DEBUG='maybe'"):
        envbool("AGORA_HUB_DEBUG", environ={"AGORA_HUB_DEBUG": "maybe"})


def test_numbers_and_lists():
    assert envint("AGORA_HUB_WORKERS", 2, environ={"AGORA_HUB_WORKERS": "3"}) == 3
    with pytest.raises(EnvError, match="AGORA_HUB_WORKERS"):
        envint("AGORA_HUB_WORKERS", 2, environ={"AGORA_HUB_WORKERS": "three"})
    assert envlist("AGORA_HUB_ALLOWED_HOSTS", "", environ={"AGORA_HUB_ALLOWED_HOSTS": "hub.local, 10.0.0.2,"}) == [
        "hub.local",
        "10.0.0.2",
    ]


def test_a_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    assert envsecret("AGORA_HUB_SECRET_KEY", environ={"AGORA_HUB_SECRET_KEY_FILE": str(secret)}) == "from-a-file"
    with pytest.raises(EnvError, match="AGORA_HUB_SECRET_KEY_FILE"):
        envsecret("AGORA_HUB_SECRET_KEY", environ={"AGORA_HUB_SECRET_KEY_FILE": str(tmp_path / "missing")})


def _settings_in_a_fresh_process(tmp_path, **env) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    environ = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "hub.settings", "PYTHONPATH": str(ROOT),
               "AGORA_HUB_DATA": str(tmp_path / "hub"), **env}
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False)


def test_without_a_secret_key_the_hub_makes_one_and_keeps_it(tmp_path):
    first = _settings_in_a_fresh_process(tmp_path)
    second = _settings_in_a_fresh_process(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    key_file = tmp_path / "hub" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_bad_debug_value_stops_the_hub_with_the_variable_named(tmp_path):
    result = _settings_in_a_fresh_process(tmp_path, AGORA_HUB_DEBUG="sometimes")
    assert result.returncode != 0
    assert "AGORA_HUB_DEBUG='sometimes' is not a yes/no value" in result.stderr
