"""The kiosk's fixed colours and the WCAG contrast arithmetic that keeps any museum's colours readable."""

from __future__ import annotations

WARM_WHITE = "#F6F1E8"
SURFACE = "#FFFFFF"
INK = "#1E1A16"
MUTED_INK = "#564D44"
HAIRLINE = "#D8CDBE"
DANGER = "#A3261B"


def rgba(hex_colour: str, alpha: float = 1.0) -> list[float]:
    """A "#RRGGBB" colour as Kivy's [r, g, b, a] floats."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)] + [alpha]


def relative_luminance(colour: list[float]) -> float:
    """WCAG 2 relative luminance of an [r, g, b, ...] colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: list[float], second: list[float]) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: list[float]) -> list[float]:
    """White or ink, whichever reads better on a background (museums pick their colours, we keep AA)."""
    white, ink = rgba(SURFACE), rgba(INK)
    return white if contrast_ratio(white, background) >= contrast_ratio(ink, background) else ink


def shade(colour: list[float], amount: float) -> list[float]:
    """A colour darkened towards black by `amount` (0..1), for pressed states."""
    return [c * (1 - amount) for c in colour[:3]] + [colour[3]]
