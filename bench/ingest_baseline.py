"""The benchmark's yardstick: a WSGI app that only writes each PUT body durably to disk and answers 201."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

CHUNK = 1 << 20
FOLDER = Path(os.environ.get("AGORA_BASELINE_DIR", "./var/baseline"))


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    stream = environ["wsgi.input"]
    FOLDER.mkdir(parents=True, exist_ok=True)
    # Written like the hub writes a blob: to a file, then fsync, so both sides pay for durability alike.
    with open(FOLDER / uuid.uuid4().hex, "wb") as handle:
        left = length
        while left > 0:
            data = stream.read(min(CHUNK, left))
            if not data:
                break
            handle.write(data)
            left -= len(data)
        handle.flush()
        os.fsync(handle.fileno())
    body = b'{"stored": true}'
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
