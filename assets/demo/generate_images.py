"""Draws the demo museum's three exhibit pictures, so the demo ships images that Agora itself made (CC0)."""

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1200, 800)
HERE = Path(__file__).parent / "images"


def tapestry() -> Image.Image:
    """A woven harvest band: rows of wheat-coloured lozenges on a madder-red ground."""
    im = Image.new("RGB", SIZE, "#7a2a1d")
    d = ImageDraw.Draw(im)
    for y in range(0, SIZE[1], 8):
        d.line([(0, y), (SIZE[0], y)], fill="#6b2418", width=2)
    palette = ["#e2b44b", "#f1d48a", "#2e4f3e", "#c98a2b", "#efe3c4"]
    for row, y in enumerate(range(60, SIZE[1], 140)):
        for col, x in enumerate(range(-40 + (row % 2) * 70, SIZE[0] + 70, 140)):
            colour = palette[(row + col) % len(palette)]
            d.polygon([(x, y - 55), (x + 55, y), (x, y + 55), (x - 55, y)], fill=colour)
            d.polygon([(x, y - 25), (x + 25, y), (x, y + 25), (x - 25, y)], fill="#7a2a1d")
    d.rectangle([0, 0, SIZE[0], 30], fill="#2e4f3e")
    d.rectangle([0, SIZE[1] - 30, SIZE[0], SIZE[1]], fill="#2e4f3e")
    return im.filter(ImageFilter.GaussianBlur(0.6))


def canal_map() -> Image.Image:
    """An old survey map of the valley's canal, with locks, fields and a compass rose."""
    rng = random.Random(7)
    im = Image.new("RGB", SIZE, "#efe2c2")
    d = ImageDraw.Draw(im)
    for _ in range(40):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        w, h = rng.randrange(80, 220), rng.randrange(60, 160)
        d.rectangle([x, y, x + w, y + h], outline="#c7b48a", width=2)
    points = [(x, 400 + 120 * math.sin(x / 170) + 40 * math.sin(x / 53)) for x in range(-20, SIZE[0] + 40, 10)]
    d.line(points, fill="#3f6e8c", width=26, joint="curve")
    d.line(points, fill="#7fa9c4", width=10, joint="curve")
    for x in (260, 610, 930):
        y = 400 + 120 * math.sin(x / 170) + 40 * math.sin(x / 53)
        d.rectangle([x - 8, y - 24, x + 8, y + 24], fill="#5a3b22")
    cx, cy = 1060, 140
    d.ellipse([cx - 70, cy - 70, cx + 70, cy + 70], outline="#5a3b22", width=3)
    d.polygon([(cx, cy - 90), (cx + 14, cy), (cx, cy + 90), (cx - 14, cy)], fill="#5a3b22")
    d.polygon([(cx - 90, cy), (cx, cy + 14), (cx + 90, cy), (cx, cy - 14)], fill="#8c6a46")
    d.rectangle([12, 12, SIZE[0] - 12, SIZE[1] - 12], outline="#5a3b22", width=6)
    return im


def radio() -> Image.Image:
    """A 1950s valve radio set: walnut cabinet, fabric grille and a tuning dial."""
    im = Image.new("RGB", SIZE, "#dcd3c3")
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([220, 140, 980, 680], radius=60, fill="#6b3e1f")
    d.rounded_rectangle([250, 170, 950, 650], radius=46, fill="#7d4a26")
    d.rounded_rectangle([290, 210, 910, 470], radius=24, fill="#d9c7a2")
    for x in range(300, 905, 12):
        d.line([(x, 215), (x, 465)], fill="#c4b089", width=3)
    d.rounded_rectangle([300, 500, 900, 560], radius=12, fill="#f3e7c6")
    for i, x in enumerate(range(320, 885, 28)):
        d.line([(x, 510), (x, 530 if i % 2 else 540)], fill="#5a3b22", width=2)
    d.line([(610, 505), (610, 555)], fill="#b3261e", width=4)
    for x in (380, 820):
        d.ellipse([x - 34, 575, x + 34, 643], fill="#3b2110")
        d.ellipse([x - 20, 589, x + 20, 629], fill="#c9a45c")
    d.rectangle([300, 680, 360, 700], fill="#3b2110")
    d.rectangle([840, 680, 900, 700], fill="#3b2110")
    return im


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, draw in (("la-tapisserie", tapestry), ("la-carte-du-canal", canal_map), ("le-poste-radio", radio)):
        draw().save(HERE / f"{name}.jpg", quality=85, optimize=True)


if __name__ == "__main__":
    main()
