"""Real JPEGs for the capture tests and bench, built with Pillow: EXIF with GPS, maker note and an orientation."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image

RED = (220, 30, 30)
# Somewhere in the Vercors: what a visitor's phone would have written into a family photo.
LATITUDE = (45.0, 3.0, 21.5)
LONGITUDE = (5.0, 33.0, 7.25)


def photo_bytes(size: tuple[int, int] = (640, 480), orientation: int = 1, gps: bool = True,
                quality: int = 90, grain: int = 0) -> bytes:
    """A JPEG whose stored pixels have a red square in the top-left corner on a textured background.

    `grain` adds sensor-like noise of that amplitude, which gives a camera photo's file size and decode cost.
    """
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([(x * 200 // width) + 20, (y * 200 // height) + 20, ((x // 8 + y // 8) % 2) * 60 + 90],
                      axis=-1).astype(np.uint8)
    if grain:
        noise = np.random.default_rng(7).integers(0, grain, pixels.shape, dtype=np.uint8)
        pixels = pixels + np.minimum(noise, 255 - pixels)
    corner = max(8, min(width, height) // 8)
    pixels[:corner, :corner] = RED
    image = Image.fromarray(pixels, "RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Agora Test Camera"
    exif[ExifTags.Base.Model] = "Family Phone 3"
    exif[ExifTags.Base.Artist] = "Alice Martin"
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.MakerNote: b"AGORA-MAKER-NOTE serial 0042",
                               ExifTags.Base.DateTimeOriginal: "1987:07:14 16:20:00"}
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: LATITUDE,
                                      ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: LONGITUDE}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif, comment=b"Alice's grandmother's house")
    return out.getvalue()


def write_photo(path: Path, **options) -> Path:
    path.write_bytes(photo_bytes(**options))
    return path
