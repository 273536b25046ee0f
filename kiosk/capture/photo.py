"""Keeping a photo: upright, every byte of metadata (EXIF, GPS, maker notes, comments) gone, plus two previews.

Speed comes from the JPEG decoder's own scaling (Pillow's draft mode): a 12-megapixel photo is decoded
straight at half size, which is already the size we keep, instead of decoded whole and then resized.
Privacy comes from building new files from pixels only: the original's EXIF is never passed to `save`.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from kiosk.capture.files import CaptureFolder
from kiosk.contribution import MediaRef, Problem

log = logging.getLogger(__name__)

JPEG_TYPE = "image/jpeg"


@dataclass(frozen=True)
class PhotoPolicy:
    """Sizes (long side, pixels) and JPEG qualities, in one place."""

    max_side: int = 2048        # the kept photo: ample for publication, light to upload
    draft_slack: float = 0.9    # decode at a JPEG scale down to 90 % of max_side rather than pay for a larger one
    preview_side: int = 1024    # shown on the review screen
    thumbnail_side: int = 320   # shown in lists
    quality: int = 88
    preview_quality: int = 82


POLICY = PhotoPolicy()

UNREADABLE = Problem(
    "photo", "unreadable",
    "La photo n'a pas pu être lue. Reprenez-la, s'il vous plaît.",
    "The photo could not be read. Please take it again.")
NO_ROOM = Problem(
    "photo", "no_room",
    "Les photos sont en pause pour le moment. Vous pouvez écrire ou enregistrer votre histoire.",
    "Photos are paused for now. You can write or record your story instead.")

# EXIF orientation -> the transpose that makes the pixels upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION = 0x0112


class PhotoError(ValueError):
    """The bytes are not a photo we can read; `problem` says so to the visitor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.problem = UNREADABLE


@dataclass(frozen=True)
class Photo:
    """A processed photo, in memory until the visitor keeps it: JPEG bytes with no metadata at all."""

    jpeg: bytes
    size: tuple[int, int]
    preview: bytes
    preview_size: tuple[int, int]
    thumbnail: bytes
    thumbnail_size: tuple[int, int]


@dataclass(frozen=True)
class KeptPhoto:
    """A photo in the store, with its previews in the capture folder (gone on start over)."""

    media: MediaRef
    preview_path: Path
    thumbnail_path: Path


def process_photo(source: bytes | Path, policy: PhotoPolicy = POLICY) -> Photo:
    """Upright, metadata-free JPEG of at most `max_side`, with preview and thumbnail; PhotoError if unreadable."""
    try:
        image = Image.open(io.BytesIO(source) if isinstance(source, bytes | bytearray) else Path(source))
        orientation = image.getexif().get(_ORIENTATION, 1)
        _draft(image, policy.max_side, policy.draft_slack)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise PhotoError(f"not a readable photo: {error}") from error
    image = _pixels_only(image)
    if orientation in _UPRIGHT:
        image = image.transpose(_UPRIGHT[orientation])
    if max(image.size) > policy.max_side:
        image.thumbnail((policy.max_side, policy.max_side), Image.Resampling.LANCZOS, reducing_gap=None)
    preview = _shrunk(image, policy.preview_side)
    thumbnail = _shrunk(preview, policy.thumbnail_side)
    return Photo(
        jpeg=_jpeg(image, policy.quality), size=image.size,
        preview=_jpeg(preview, policy.preview_quality), preview_size=preview.size,
        thumbnail=_jpeg(thumbnail, policy.preview_quality), thumbnail_size=thumbnail.size,
    )


def keep_photo(photo: Photo, store, folder: CaptureFolder) -> KeptPhoto | Problem:
    """The visitor keeps it: the JPEG goes into the store, the previews into the capture folder."""
    try:
        media = store.add_media(photo.jpeg, JPEG_TYPE, "photo")
        name = folder.new_name("photo")
        preview_path = folder.path / f"{name}-preview.jpg"
        thumbnail_path = folder.path / f"{name}-thumbnail.jpg"
        preview_path.write_bytes(photo.preview)
        thumbnail_path.write_bytes(photo.thumbnail)
    except OSError as error:
        log.error("Could not keep the photo: %s", error)
        return NO_ROOM
    return KeptPhoto(media=media, preview_path=preview_path, thumbnail_path=thumbnail_path)


def _draft(image: Image.Image, max_side: int, slack: float) -> None:
    # Pillow's draft picks the largest JPEG scale (1/2, 1/4, 1/8) that keeps both sides at least the size
    # asked for; ask for the scale whose long side is still at least `slack * max_side`.
    if image.format != "JPEG":
        return
    width, height = image.size
    scale = 1
    while scale < 8 and max(width, height) / (scale * 2) >= slack * max_side:
        scale *= 2
    if scale > 1:
        image.draft(None, (width // scale, height // scale))


def _pixels_only(image: Image.Image) -> Image.Image:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Whatever Pillow read (EXIF, ICC, comments, XMP) rides along in `info`; drop it so nothing reaches `save`.
    image.info = {}
    return image


def _shrunk(image: Image.Image, side: int, slack: float = POLICY.draft_slack) -> Image.Image:
    # Box-averaging by a whole factor (Image.reduce) is several times cheaper than Lanczos over the full
    # image; Lanczos only finishes the last step, from at most 1/slack of the target size.
    factor = max(1, int(max(image.size) / (slack * side)))
    small = image.reduce(factor) if factor > 1 else image.copy()
    if max(small.size) > side:
        small.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=None)
    small.info = {}
    return small


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
