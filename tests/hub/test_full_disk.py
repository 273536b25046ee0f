"""A hub whose disk is full says so with 507 and keeps nothing half-stored; the kiosk's resend then succeeds."""

import errno
import logging
import sqlite3
from contextlib import contextmanager

import psycopg.errors
import pytest
from django.db import connection
from django.db.utils import OperationalError

import hub.blobs.ingest as ingest
from hub.api.errors import disk_full
from hub.blobs.models import Blob
from hub.contributions.models import Contribution

from .conftest import jpeg, sha256, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo() -> bytes:
    return jpeg((320, 240), noise=True)


class _FillingUp:
    """A file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, handle, room: int):
        self._handle = handle
        self._room = room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._handle.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._handle.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()

    def __getattr__(self, name):
        return getattr(self._handle, name)


@pytest.fixture
def full_disk(monkeypatch):
    """Uploads run out of room after 1,000 bytes."""

    def opener(path, mode="r", *args, **kwargs):
        handle = open(path, mode, *args, **kwargs)  # noqa: SIM115 - closed by the wrapper
        return _FillingUp(handle, 1000) if "a" in mode or "w" in mode else handle

    monkeypatch.setattr(ingest, "open", opener, raising=False)


def test_a_photo_arriving_on_a_full_disk_is_refused_with_507_and_nothing_is_kept(client, hall, photo, full_disk,
                                                                                 caplog):
    with caplog.at_level(logging.ERROR, logger="hub.api.errors"):
        response = hall.put_blob(client, photo, "image/jpeg")
    assert response.status_code == 507
    assert "disk is full" in response.json()["detail"]
    assert "nothing from this request was kept" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert not Blob.objects.exists()
    assert hall.head_blob(client, sha256(photo)).status_code == 404
    assert "AGORA_HUB_DATA" in caplog.text  # the museum's admin is told where to make room


def test_once_there_is_room_again_the_resent_photo_is_taken_whole(client, hall, photo, full_disk, monkeypatch):
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 507
    monkeypatch.undo()
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 201
    assert Blob.objects.get().complete


@contextmanager
def database_fills_up():
    """The database's disk fills up when a contribution is inserted, with the database driver's own error."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "CONTRIBUTIONS_CONTRIBUTION"'):
            if connection.vendor == "sqlite":
                raise sqlite3.OperationalError("database or disk is full")
            raise psycopg.errors.DiskFull('could not extend file "base/16384/16500": No space left on device')
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def test_a_contribution_meeting_a_full_database_is_refused_with_507(client, hall, tapestry):
    with database_fills_up():
        response = hall.put(client, story())
    assert response.status_code == 507, response.content
    assert "disk is full" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_once_the_database_has_room_the_resent_contribution_is_stored(client, hall, tapestry):
    payload = story()
    with database_fills_up():
        assert hall.put(client, payload).status_code == 507
    assert hall.put(client, payload).status_code == 201
    assert Contribution.objects.get().uuid.hex == payload["uuid"].replace("-", "")


def test_postgresqls_disk_full_error_is_recognised_through_djangos_wrapper():
    try:
        try:
            raise psycopg.errors.DiskFull("could not extend file: No space left on device")
        except psycopg.errors.DiskFull as error:
            raise OperationalError(*error.args) from error
    except OperationalError as wrapped:
        assert disk_full(wrapped)
    assert not disk_full(OperationalError("database is locked"))
    assert not disk_full(OSError(errno.EACCES, "Permission denied"))
