"""The agora-hub command: curators, pairing codes, the demo museum, and serve's argument checks."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from PIL import Image

from hub.cli import main
from hub.devices.models import PairingCode
from hub.museum.management.commands.seed_demo import DEMO_DIR
from hub.museum.models import Exhibit, Prompt

# Django commands close database connections when they finish, so these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "tapestry-lantern-42"


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_alice_becomes_a_curator_with_a_password_from_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "createcurator", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0
    assert "Created curator 'alice'" in out
    alice = authenticate(username="alice", password=PASSWORD)
    assert alice.is_staff
    assert alice.has_perm("contributions.moderate_contribution")
    assert [group.name for group in alice.groups.all()] == ["curators"]


def test_an_existing_curator_is_updated_only_when_asked(capsys, monkeypatch):
    run(capsys, monkeypatch, "createcurator", "alice", stdin=PASSWORD)
    code, _, err = run(capsys, monkeypatch, "createcurator", "alice", stdin="another-long-secret-7")
    assert code == 1
    assert "already has an account" in err and "--update" in err
    assert authenticate(username="alice", password=PASSWORD)
    code, out, _ = run(capsys, monkeypatch, "createcurator", "alice", "--update", stdin="another-long-secret-7")
    assert code == 0
    assert authenticate(username="alice", password="another-long-secret-7")


@pytest.mark.parametrize(("password", "words"), [("", "empty"), ("12345678901", "refused")])
def test_an_empty_or_weak_password_is_refused(capsys, monkeypatch, password, words):
    code, _, err = run(capsys, monkeypatch, "createcurator", "alice", "--password-stdin", stdin=password + "\n")
    assert code == 1
    assert words in err
    assert not authenticate(username="alice", password=password)


def test_a_pairing_code_is_printed_with_its_expiry(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "pairing-code", "--minutes", "5")
    assert code == 0
    first, second, *_ = out.splitlines()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", first)
    assert "Valid until" in second and "5 minutes" in second
    record = PairingCode.find(first)
    assert (record.expires_at - record.created_at).total_seconds() == 300


def test_a_quiet_pre_authorised_pairing_code_prints_the_code_alone(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "pairing-code", "--quiet", "--authorise")
    assert code == 0
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\n", out)
    assert PairingCode.find(out.strip()).authorise


def test_a_plain_pairing_code_says_a_curator_must_authorise_the_kiosk(capsys, monkeypatch):
    _, out, _ = run(capsys, monkeypatch, "pairing-code")
    assert "/curate/devices/" in out
    assert not PairingCode.find(out.splitlines()[0]).authorise


def test_a_pairing_code_cannot_last_zero_minutes(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "pairing-code", "--minutes", "0")
    assert code == 1
    assert "--minutes" in err
    assert not PairingCode.objects.exists()


@pytest.fixture
def demo(tmp_path) -> Path:
    """A one-exhibit demo folder shaped like assets/demo/."""
    folder = tmp_path / "demo"
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (8, 6), (120, 40, 30)).save(folder / "images" / "la-tapisserie.jpg")
    config = {
        "museum": {"name": "Musée de la Vallée"},
        "languages": ["fr", "en"],
        "exhibits": [
            {
                "slug": "la-tapisserie",
                "title": {"fr": "La tapisserie", "en": "The tapestry"},
                "description": {"fr": "Une tapisserie.", "en": "A tapestry."},
                "image_url": "la-tapisserie.jpg",
                "image_credit": "Musée de la Vallée",
                "prompts": [
                    {"id": "souvenir", "text": {"fr": "Un souvenir ?", "en": "A memory?"}},
                    {"id": "couleurs", "text": {"fr": "Les couleurs ?", "en": "The colours?"}},
                ],
            }
        ],
    }
    (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_demo_museum_loads_once_however_often_it_is_seeded(capsys, monkeypatch, demo, settings):
    assert run(capsys, monkeypatch, "seed-demo", "--from", str(demo))[0] == 0
    code, out, _ = run(capsys, monkeypatch, "seed-demo", "--from", str(demo))
    assert code == 0
    assert "Updated exhibit 'la-tapisserie'" in out
    exhibit = Exhibit.objects.get()
    assert exhibit.title_fr == "La tapisserie"
    assert exhibit.image.name == "exhibits/la-tapisserie.jpg"
    assert [prompt.slug for prompt in Prompt.objects.active()] == ["souvenir", "couleurs"]
    assert os.listdir(settings.MEDIA_ROOT / "exhibits") == ["la-tapisserie.jpg"]


def test_seeding_again_picks_up_a_changed_title(capsys, monkeypatch, demo):
    run(capsys, monkeypatch, "seed-demo", "--from", str(demo))
    config = json.loads((demo / "config.json").read_text(encoding="utf-8"))
    config["exhibits"][0]["title"]["en"] = "The great tapestry"
    (demo / "config.json").write_text(json.dumps(config), encoding="utf-8")
    run(capsys, monkeypatch, "seed-demo", "--from", str(demo))
    assert Exhibit.objects.get().title_en == "The great tapestry"


def test_seeding_from_a_missing_folder_says_what_to_do(capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, monkeypatch, "seed-demo", "--from", str(tmp_path / "nowhere"))
    assert code == 1
    assert "config.json does not exist" in err and "--from" in err


def test_seeding_with_a_missing_image_changes_nothing(capsys, monkeypatch, demo):
    (demo / "images" / "la-tapisserie.jpg").unlink()
    code, _, err = run(capsys, monkeypatch, "seed-demo", "--from", str(demo))
    assert code == 1
    assert "la-tapisserie.jpg" in err
    assert not Exhibit.objects.exists()


@pytest.mark.skipif(not (DEMO_DIR / "config.json").exists(), reason="assets/demo is not there yet")
def test_the_bundled_demo_museum_loads(capsys, monkeypatch):
    assert run(capsys, monkeypatch, "seed-demo")[0] == 0
    assert Exhibit.objects.active().exists()


def test_manage_passes_any_django_command_through(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "manage", "showmigrations", "contributions")
    assert code == 0
    assert "[X] 0001_initial" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["serve", "--port", "0"], "between 1 and 65535"),
        (["serve", "--port", "http"], "not a port number"),
        (["serve", "--workers", "0"], "between 1 and 64"),
        (["serve", "--hots", "127.0.0.1"], "unrecognized arguments"),
        (["launch"], "invalid choice"),
        ([], "required"),
        (["manage"], "needs a Django command"),
    ],
)
def test_bad_arguments_are_explained(capsys, monkeypatch, argv, words):
    code, _, err = run(capsys, monkeypatch, *argv)
    assert code == 2
    assert words in err


def test_serve_refuses_a_data_folder_that_is_a_file(capsys, monkeypatch, tmp_path):
    (tmp_path / "hub.txt").write_text("not a folder")
    code, _, err = run(capsys, monkeypatch, "serve", "--data", str(tmp_path / "hub.txt"))
    assert code == 2
    assert "is a file" in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_serve_migrates_and_answers_on_its_port(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("AGORA_HUB_DATA", None)
    env.pop("AGORA_HUB_DATABASE_URL", None)  # this test is about the SQLite file in the data folder
    server = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--data", str(tmp_path / "hub"), "--port", str(port),
         "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/items", timeout=2) as response:
                    assert json.load(response)["count"] == 0
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the hub did not answer within 30 s"
                time.sleep(0.2)
        assert (tmp_path / "hub" / "db.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
