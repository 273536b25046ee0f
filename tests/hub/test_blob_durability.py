"""What the hub puts on disk before it calls a blob complete, and which commits it lets a power cut take back."""

import os
import stat
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction
from PIL import Image

from hub.blobs.ingest import partial_path
from hub.blobs.models import Blob
from hub.durability import lazy_commits

from .conftest import jpeg, sha256

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo() -> bytes:
    return jpeg((320, 240), noise=True)


def stored_path(data: bytes) -> Path:
    return Path(default_storage.path(Blob.objects.get(pk=sha256(data)).file))


@pytest.fixture
def disk_events(monkeypatch):
    """Flushes, renames and blob-record writes, in the order they happen."""
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        target = Path(os.readlink(f"/proc/self/fd/{fd}"))
        events.append(("flush folder" if target.is_dir() else "flush file", target))
        return real_fsync(fd)

    def replace(source, destination):
        events.append(("rename", Path(destination)))
        return real_replace(source, destination)

    def watch(execute, sql, params, many, context):
        if "blobs_blob" in sql and sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            events.append(("record", None))
        return execute(sql, params, many, context)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with connection.execute_wrapper(watch):
        yield events


def test_a_blobs_bytes_then_its_name_are_flushed_before_it_is_recorded_complete(client, hall, photo, disk_events):
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 201
    final = stored_path(photo)
    steps = [(what, path) for what, path in disk_events if what != "flush folder" or path == final.parent]
    assert steps == [
        ("flush file", partial_path(sha256(photo))),
        ("rename", final),
        ("flush folder", final.parent),
        ("record", None),
    ]


def test_a_new_storage_folder_is_flushed_into_its_parent(client, hall, photo, disk_events):
    hall.put_blob(client, photo, "image/jpeg")
    final = stored_path(photo)
    flushed_folders = [path for what, path in disk_events if what == "flush folder"]
    assert final.parent.parent in flushed_folders  # the new blobs/xx folder's own entry
    assert flushed_folders[-1] == final.parent


def test_a_leftover_at_the_blobs_name_is_replaced_by_the_checked_bytes(client, hall, photo):
    name = f"blobs/{sha256(photo)[:2]}/{sha256(photo)}.jpg"
    leftover = Path(default_storage.path(name))
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half of an interrupted attempt")
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 201
    assert stored_path(photo) == leftover
    assert leftover.read_bytes() == photo


def test_a_stored_blob_is_readable_with_the_storages_permissions_and_leaves_no_temporary_file(client, hall):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # metadata to strip: the hub writes new bytes instead of moving the received ones
    photo = jpeg((64, 48), exif=exif)
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 201
    final = stored_path(photo)
    assert final.read_bytes() != photo
    assert stat.S_IMODE(final.stat().st_mode) == default_storage.file_permissions_mode
    assert [path.name for path in final.parent.iterdir()] == [final.name]


def durability() -> str:
    """How this connection commits now: "lazy" (not flushed before it returns) or "flushed"."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            return {1: "lazy", 2: "flushed"}[cursor.fetchone()[0]]
        cursor.execute("SHOW synchronous_commit")
        # The throwaway test server itself runs without flushing; what matters is that lazy_commits restores it.
        return "lazy" if cursor.fetchone()[0] == "off" else "flushed"


@pytest.mark.django_db(transaction=True)
def test_lazy_commits_relax_durability_only_inside_the_block():
    before = durability()
    if connection.vendor == "sqlite":
        assert before == "flushed"
    with lazy_commits():
        assert durability() == "lazy"
    assert durability() == before
    with pytest.raises(RuntimeError), lazy_commits():
        raise RuntimeError("a refusal half-way")
    assert durability() == before


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_its_own_commit_decides():
    before = durability()
    with transaction.atomic(), lazy_commits():
        assert durability() == before
