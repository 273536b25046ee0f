"""Reading what a received file really is, refusing what the hub must not keep, and stripping photo metadata."""

from __future__ import annotations

import io
import os
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import soundfile
from PIL import Image, ImageOps, UnidentifiedImageError

from sync.protocol import AUDIO_TYPES, MEDIA_KIND_AUDIO, MEDIA_KIND_PHOTO, PHOTO_TYPES

THUMBNAIL_SIZE = (480, 480)
_PIL_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_TYPE_NAMES = {
    "image/jpeg": "a JPEG photo",
    "image/png": "a PNG image",
    "image/webp": "a WebP image",
    "audio/flac": "FLAC audio",
    "audio/wav": "WAV audio",
    "audio/ogg": "Ogg audio",
    "audio/mpeg": "MP3 audio",
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "audio/flac": "flac",
    "audio/wav": "wav",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
}
# JPEG segments kept when stripping: JFIF (APP0), the colour profile (APP2) and Adobe's colour transform (APP14).
# Everything else before the image data (EXIF with GPS, XMP, comments, maker notes) is dropped.
_KEPT_JPEG_SEGMENTS = {0xE0, 0xE2, 0xEE}
_ORIENTATION = 0x0112


class MediaRefused(ValueError):
    """The file cannot be kept; `status` is the HTTP answer (413, 415 or 422) and the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_photo_pixels: int
    max_audio_seconds: float


@dataclass
class Checked:
    """What a file is, and the bytes to publish when they differ from what was received."""

    content_type: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    cleaned: bytes | None = None
    thumbnail: bytes | None = None


def kind_of(content_type: str) -> str | None:
    if content_type in PHOTO_TYPES:
        return MEDIA_KIND_PHOTO
    if content_type in AUDIO_TYPES:
        return MEDIA_KIND_AUDIO
    return None


def sniff(head: bytes) -> str | None:
    """The media type the first bytes announce, among those the hub accepts."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def check(path: Path, declared: str, limits: Limits) -> Checked:
    """Refuses (MediaRefused) anything but a sound photo or recording of the declared type within the limits."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    real = sniff(head)
    kind = kind_of(declared)
    if real is None or kind_of(real) != kind:
        if real is not None:
            message = (
                f"The bytes are {_TYPE_NAMES[real]} but were sent as {declared}; "
                f"send them with Content-Type: {real} and list them as {kind_of(real)} media."
            )
            raise MediaRefused(422, message)
        expected = "JPEG, PNG or WebP photo" if kind == MEDIA_KIND_PHOTO else "FLAC, WAV, Ogg or MP3 recording"
        raise MediaRefused(415, f"The bytes are not a {expected}; the hub keeps only those.")
    if real != declared:
        raise MediaRefused(
            422,
            f"The bytes are {_TYPE_NAMES[real]} but were sent as {declared}; send them with Content-Type: {real}.",
        )
    if kind == MEDIA_KIND_PHOTO:
        return _check_photo(path, real, limits)
    return _check_audio(path, real, limits)


def _check_photo(path: Path, content_type: str, limits: Limits) -> Checked:
    damaged = MediaRefused(422, f"The photo is damaged or cut short ({_TYPE_NAMES[content_type]} that does not "
                                "decode); take it again or send the whole file.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(None, limits) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise damaged from None
    with image:
        if _PIL_TYPES.get(image.format) != content_type:
            raise damaged
        width, height = image.size
        if width * height > limits.max_photo_pixels:
            raise _too_many_pixels((width, height), limits)
        orientation = image.getexif().get(_ORIENTATION, 1)
        if content_type == "image/jpeg" and orientation in (0, 1):
            # The common case, what the kiosk sends: an upright JPEG. Its structure is checked without decoding
            # (the hub's costliest step); the thumbnail is made when a curator first looks at it.
            whole, cleaned = _check_upright_jpeg(path)
            if not whole:
                raise damaged
            return Checked(content_type, width=width, height=height, cleaned=cleaned)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, struct.error):
            raise damaged from None
        thumbnail = make_thumbnail(image, orientation)
        cleaned = _reencoded(path, content_type)
        with Image.open(io.BytesIO(cleaned)) as upright:
            width, height = upright.size
    return Checked(content_type, width=width, height=height, cleaned=cleaned, thumbnail=thumbnail)


def _too_many_pixels(size: tuple[int, int] | None, limits: Limits) -> MediaRefused:
    allowed = limits.max_photo_pixels / 1_000_000
    described = f"{size[0]}×{size[1]} pixels" if size else "far too many pixels"
    return MediaRefused(
        422, f"The photo has {described}, more than the {allowed:g} megapixels the hub accepts; send a smaller photo."
    )


def _check_upright_jpeg(path: Path) -> tuple[bool, bytes | None]:
    """(whether the JPEG is whole, its bytes without metadata or None when it has none to drop).

    Reads only the segments before the image data and the file's last 4 kB, unless there is metadata to drop:
    the file was hashed as it arrived, and reading megabytes again for every photo is what it would cost.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        layout = _jpeg_layout(handle, size)
        if layout is None:
            handle.seek(0)
            original = handle.read()
            stripped = strip_jpeg_metadata(original)
            return _jpeg_is_whole(original), None if stripped == original else stripped
        segments, scan = layout
        start = max(scan, size - 4096)
        handle.seek(start)
        end = handle.read().rfind(b"\xff\xd9")
        whole = scan > 0 and end >= 0 and start + end > scan
        if not whole or all(keep for _, _, keep in segments):
            return whole, None
        out = bytearray(b"\xff\xd8")
        for first, last, keep in segments:
            if keep:
                handle.seek(first)
                out += handle.read(last - first)
        handle.seek(scan)
        out += handle.read()
        return whole, bytes(out)


def _jpeg_layout(handle, size: int) -> tuple[list[tuple[int, int, bool]], int] | None:
    """The segments before the image data as (start, end, kept), and where the image data starts; None when
    the markers are not where they must be (strip_jpeg_metadata then leaves the file as it is)."""
    handle.seek(0)
    if handle.read(2) != b"\xff\xd8":
        return None
    segments = []
    position = 2
    while position + 4 <= size:
        handle.seek(position)
        head = handle.read(4)
        if head[0] != 0xFF:
            return None
        marker = head[1]
        if marker == 0xFF:
            position += 1
            continue
        if marker == 0xDA:
            return segments, position
        end = min(size, position + 2 + int.from_bytes(head[2:4], "big"))
        is_app_or_comment = 0xE0 <= marker <= 0xEF or marker == 0xFE
        segments.append((position, end, not is_app_or_comment or marker in _KEPT_JPEG_SEGMENTS))
        position = end
    return None


def _jpeg_is_whole(data: bytes) -> bool:
    """Whether the JPEG's image data is there to its end marker (a cut transfer loses the end)."""
    scan = data.find(b"\xff\xda")
    return scan > 0 and data.rfind(b"\xff\xd9", max(scan, len(data) - 4096)) > scan


def thumbnail_of(data: bytes) -> bytes:
    """A small upright JPEG of a stored photo, decoded at reduced scale."""
    with Image.open(io.BytesIO(data)) as image:
        orientation = image.getexif().get(_ORIENTATION, 1)
        if image.format == "JPEG":
            image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
        image.load()
        return make_thumbnail(image, orientation)


def make_thumbnail(image: Image.Image, orientation: int) -> bytes:
    small = image.convert("RGB")
    small.thumbnail(THUMBNAIL_SIZE)
    if orientation not in (0, 1):
        exif = Image.Exif()
        exif[_ORIENTATION] = orientation
        small.info["exif"] = exif.tobytes()
        small = ImageOps.exif_transpose(small)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def _reencoded(path: Path, content_type: str) -> bytes:
    """The photo turned upright, saved again with no metadata but its colour profile."""
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image)
        icc = image.info.get("icc_profile")
        out = io.BytesIO()
        extra = {"icc_profile": icc} if icc else {}
        if content_type == "image/jpeg":
            upright.save(out, "JPEG", quality=92, **extra)
        elif content_type == "image/png":
            upright.save(out, "PNG", **extra)
        else:
            upright.save(out, "WEBP", quality=90, **extra)
    return out.getvalue()


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The JPEG without EXIF (GPS included), XMP or comments; the image data is copied untouched."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data  # not a marker where one must be: leave the decoder's verdict to stand
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[position:]
            return bytes(out)
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        is_app_or_comment = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if not is_app_or_comment or marker in _KEPT_JPEG_SEGMENTS:
            out += segment
        position += 2 + length
    return data


def _check_audio(path: Path, content_type: str, limits: Limits) -> Checked:
    damaged = MediaRefused(
        422, f"The recording is damaged or cut short ({_TYPE_NAMES[content_type]} that does not decode); "
        "record it again or send the whole file."
    )
    try:
        info = soundfile.info(str(path))
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        raise damaged from None
    if info.samplerate <= 0 or (content_type == "audio/wav" and _riff_cut_short(path)):
        raise damaged
    duration = info.frames / info.samplerate
    if duration > limits.max_audio_seconds:
        raise MediaRefused(
            422,
            f"The recording lasts {duration:.0f} s, longer than the {limits.max_audio_seconds:g} s the hub accepts; "
            "send a shorter one.",
        )
    if content_type == "audio/flac":
        _read_last_frames(path, info.frames, damaged)
    elif content_type != "audio/wav":  # WAV was checked against its header; Ogg and MP3 only decode to tell
        _decode_all(path, info.frames, damaged)
    return Checked(content_type, duration=round(duration, 3))


def _riff_cut_short(path: Path) -> bool:
    """Whether a RIFF file holds fewer bytes than its header announces (the decoder forgives that silently)."""
    with open(path, "rb") as handle:
        header = handle.read(8)
    announced = int.from_bytes(header[4:8], "little") + 8
    return path.stat().st_size < announced


def _read_last_frames(path: Path, frames: int, damaged: MediaRefused) -> None:
    """Decodes the end of a FLAC recording: a file whose end was lost fails here, at a fraction of a full decode."""
    try:
        with soundfile.SoundFile(str(path)) as sound:
            sound.seek(max(0, frames - 4096))
            tail = sound.read(4096, dtype="int16")
    except (soundfile.LibsndfileError, RuntimeError, ValueError):
        raise damaged from None
    if frames and len(tail) < min(4096, frames):
        raise damaged


def _decode_all(path: Path, frames: int, damaged: MediaRefused) -> None:
    """Reads every frame, so a recording whose end was lost is refused rather than published broken."""
    read = 0
    try:
        with soundfile.SoundFile(str(path)) as sound:
            for block in sound.blocks(blocksize=1 << 16, dtype="int16", always_2d=True):
                read += len(block)
    except (soundfile.LibsndfileError, RuntimeError, ValueError):
        raise damaged from None
    # MP3 and Ogg headers only estimate their length, so a shortfall counts only for the exact formats.
    if frames and read < frames and sound.format in ("FLAC", "WAV", "WAVEX"):
        raise damaged
