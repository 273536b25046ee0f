"""Commits a power cut may undo, for records the kiosk simply sends again: cheaper than a flushed commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def lazy_commits(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within this block a commit is not flushed to disk before it returns.

    A power cut may then undo it, whole (never half), while the database stays consistent. Both databases keep
    one log written in order, so the next flushed commit, by any connection, flushes this one with it: a
    receipt's commit therefore carries every blob record it names to disk. Use it only for records whose loss
    costs a resend, never for anything a receipt or a curator's decision rests on.

    Inside a transaction it changes nothing: that transaction's own commit decides.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        # SQLite refuses to change its safety level inside a transaction, hence the autocommit check above.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=FULL")
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
            yield
    else:
        yield
