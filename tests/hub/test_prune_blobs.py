"""Blobs that no contribution claims within AGORA_HUB_BLOB_UNREFERENCED_HOURS are removed; claimed ones stay."""

import io
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from hub.blobs.models import Blob
from hub.cli import main
from hub.contributions.receiving import receive

from .conftest import jpeg, sha256, story

# Django commands close database connections when they finish, so these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def age(sha: str, hours: float) -> None:
    Blob.objects.filter(pk=sha).update(updated_at=timezone.now() - timedelta(hours=hours))


def test_old_unclaimed_blobs_go_and_claimed_or_recent_ones_stay(client, tapestry, hall, settings, capsys,
                                                                  monkeypatch):
    settings.AGORA_HUB_BLOB_UNREFERENCED_HOURS = 24
    claimed = hall.upload(client, jpeg((10, 10)), "image/jpeg", "photo")
    receive(hall.device, story(media=[claimed]))
    orphan = hall.upload(client, jpeg((11, 10)), "image/jpeg", "photo")
    recent = hall.upload(client, jpeg((12, 10)), "image/jpeg", "photo")
    half = jpeg((200, 100), noise=True)
    hall.put_blob(client, half[:100], "image/jpeg", sha=sha256(half), start=0, total=len(half))
    for sha in (claimed["sha256"], orphan["sha256"], sha256(half)):
        age(sha, 25)
    age(recent["sha256"], 23)
    orphan_file = Blob.objects.get(pk=orphan["sha256"]).file

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["prune-blobs"]) == 0
    out = capsys.readouterr().out
    assert "Removed 2 unreferenced blobs." in out
    assert set(Blob.objects.values_list("pk", flat=True)) == {claimed["sha256"], recent["sha256"]}
    assert not default_storage.exists(orphan_file)
    assert not (settings.AGORA_HUB_UPLOADS_DIR / f"{sha256(half)}.part").exists()


def test_a_dry_run_removes_nothing(client, hall, capsys):
    orphan = hall.upload(client, jpeg(), "image/jpeg", "photo")
    age(orphan["sha256"], 1000)
    assert main(["prune-blobs", "--dry-run"]) == 0
    assert "Would remove 1 unreferenced blob." in capsys.readouterr().out
    assert Blob.objects.exists()


def test_a_copy_half_written_when_the_hub_stopped_is_cleared_once_old(client, hall, settings):
    settings.AGORA_HUB_BLOB_UNREFERENCED_HOURS = 24
    kept = hall.upload(client, jpeg((10, 10)), "image/jpeg", "photo")
    folder = Path(default_storage.path(Blob.objects.get(pk=kept["sha256"]).file)).parent
    stale, fresh = folder / ".abc.jpg.k2j4.tmp", folder / ".def.jpg.x9q1.tmp"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half a photo")
    old = (timezone.now() - timedelta(hours=25)).timestamp()
    os.utime(stale, (old, old))

    assert main(["prune-blobs"]) == 0

    assert not stale.exists()
    assert fresh.exists()
    assert default_storage.exists(Blob.objects.get(pk=kept["sha256"]).file)
