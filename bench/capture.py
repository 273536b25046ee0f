"""Capture benchmarks: keeping a 12-megapixel photo against the naive Pillow path, and a long recording's cost.

Usage: python bench/capture.py [--seconds 600] [--photo-only]
Exits non-zero when keeping a photo is not at least 3x faster than the naive path, when the recording has
any input overflow, or when writing it uses 5 % of one core or more.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps  # noqa: E402

from kiosk.capture.photo import POLICY, process_photo  # noqa: E402
from tests.capture.pictures import photo_bytes  # noqa: E402

PHOTO_RATIO_NEEDED = 3.0
WRITER_CPU_LIMIT = 0.05


def naive_keep(data: bytes) -> list[bytes]:
    """What most code does: decode everything, turn it upright, resize each output from the full image, save."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    outputs = []
    for side in (POLICY.max_side, POLICY.preview_side, POLICY.thumbnail_side):
        scale = side / max(image.size)
        resized = image.resize((round(image.width * scale), round(image.height * scale)))
        out = io.BytesIO()
        resized.save(out, "JPEG", quality=POLICY.quality)
        outputs.append(out.getvalue())
    return outputs


def best_of(function, data: bytes, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function(data)
        best = min(best, time.perf_counter() - started)
    return best


def bench_photo(runs: int = 5) -> bool:
    data = photo_bytes(size=(4056, 3040), orientation=6, gps=True, quality=90, grain=24)
    naive = best_of(naive_keep, data, runs)
    fast = best_of(process_photo, data, runs)
    kept = process_photo(data)
    ratio = naive / fast
    print(f"photo 12 MP (4056x3040, {len(data) / 1e6:.1f} MB, orientation 6, GPS), best of {runs}:")
    print(f"  naive Pillow (open, exif_transpose, resize x3, save x3): {naive * 1000:7.1f} ms")
    print(f"  Agora keep (draft decode, strip, upright, save, 2 previews): {fast * 1000:7.1f} ms "
          f"-> {kept.size[0]}x{kept.size[1]}, {len(kept.jpeg) / 1e6:.2f} MB")
    print(f"  ratio {ratio:.1f}x (needed {PHOTO_RATIO_NEEDED:.0f}x)")
    return ratio >= PHOTO_RATIO_NEEDED


def bench_recording(seconds: float) -> bool:
    from kiosk.capture.audio import Recorder, Take
    from kiosk.capture.files import CaptureFolder
    from kiosk.store import Store
    from tests.capture.fakemic import FakeMicrophone, missing_tools, speech_match

    missing = missing_tools()
    if missing:
        print(f"recording: skipped, the test microphone needs {', '.join(missing)} (tools/packages/audio.txt)")
        return True
    with tempfile.TemporaryDirectory(prefix="agora-bench-") as temp:
        microphone = FakeMicrophone(Path(temp) / "mic")
        microphone.start()
        try:
            store = Store(Path(temp) / "hall")
            recorder = Recorder(CaptureFolder(store.folder), store=store, max_seconds=max(seconds + 5, 5))
            cpu_started = time.process_time()
            assert recorder.start() is None, "the test microphone did not start"
            ends = time.monotonic() + seconds
            while time.monotonic() < ends:
                # The UI reads the meter 30 times a second.
                recorder.level, recorder.elapsed, recorder.warning  # noqa: B018
                time.sleep(1 / 30)
            take = recorder.stop()
            process_cpu = time.process_time() - cpu_started
            if not isinstance(take, Take):
                print(f"recording: refused ({take.code})")
                return False
            match = speech_match(take.samples(), microphone.speech)
            started = time.perf_counter()
            media = recorder.keep()
            keep_seconds = time.perf_counter() - started
        finally:
            microphone.stop()
    share = recorder.writer_cpu_seconds / take.duration
    print(f"recording {take.duration:.1f} s at {take.samplerate} Hz from {recorder.microphone_name!r}:")
    print(f"  input overflows: {recorder.overflows}")
    print(f"  writer thread CPU: {recorder.writer_cpu_seconds:.3f} s = {share * 100:.2f} % of one core "
          f"(limit {WRITER_CPU_LIMIT * 100:.0f} %); whole process incl. the meter loop: "
          f"{process_cpu / take.duration * 100:.2f} %")
    print(f"  keep (FLAC encode + store): {keep_seconds * 1000:.0f} ms -> {media.size / 1e6:.1f} MB FLAC")
    print(f"  speech windows matching the source: {match * 100:.0f} %")
    return recorder.overflows == 0 and share < WRITER_CPU_LIMIT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("AGORA_BENCH_RECORD_SECONDS", 600)),
                        help="length of the recording (default 600: ten minutes)")
    parser.add_argument("--photo-only", action="store_true", help="skip the recording")
    args = parser.parse_args()
    ok = bench_photo()
    if not args.photo_only:
        ok = bench_recording(args.seconds) and ok
    print("capture bench:", "OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
