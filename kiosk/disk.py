"""Free disk space where the kiosk keeps its data, as the kernel reports it to an unprivileged process."""

from __future__ import annotations

import os
from pathlib import Path

MB = 1024 * 1024


def free_bytes(folder: Path) -> int:
    """Bytes an ordinary user may still write on the file system holding `folder` (or its nearest parent)."""
    folder = Path(folder).absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


def describe_bytes(size: float) -> str:
    """A size as staff read it: 850 kB, 12.3 MB, 4.1 GB."""
    for unit, scale in (("GB", 1024**3), ("MB", MB), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{int(size)} B"
