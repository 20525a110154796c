"""The Teams app icons, drawn in code so that they can be regenerated without an image editor.

Teams wants a 192x192 colour icon and a 32x32 outline icon (white on a
transparent background). Both show a shield with a tick. Pure Python (zlib
PNG writer, 4x4 supersampling) so that no imaging library is needed.

    python -m bot.channels.teams.icons deploy/teams   # rewrites color.png and outline.png
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

RGBA = tuple[int, int, int, int]
ACCENT = (31, 95, 139)  # the manifest's accentColor, #1F5F8B
WHITE = (255, 255, 255)
SAMPLES = 4


def _png(width: int, height: int, pixels: list[list[RGBA]]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _in_shield(u: float, v: float, inset: float = 0.0) -> bool:
    """(u, v) in [0, 1]²: a shield with a flat top and a pointed bottom."""
    half = 0.34 - inset
    top, shoulder, tip = 0.14 + inset, 0.52, 0.88 - inset * 1.6
    if v < top or v > tip:
        return False
    if v <= shoulder:
        return abs(u - 0.5) <= half
    width = half * (1 - ((v - shoulder) / (tip - shoulder)) ** 1.6)
    return abs(u - 0.5) <= width


def _on_tick(u: float, v: float, thickness: float) -> bool:
    """A tick from (0.36, 0.50) down to (0.47, 0.62) and up to (0.66, 0.38)."""

    def near(ax: float, ay: float, bx: float, by: float) -> bool:
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
        px, py = ax + t * dx, ay + t * dy
        return (u - px) ** 2 + (v - py) ** 2 <= thickness**2

    return near(0.36, 0.50, 0.47, 0.62) or near(0.47, 0.62, 0.66, 0.38)


def _render(size: int, colour_of: Callable[[float, float], RGBA | None], background: RGBA) -> bytes:
    pixels: list[list[RGBA]] = []
    for y in range(size):
        row: list[RGBA] = []
        for x in range(size):
            r = g = b = a = 0.0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    u = (x + (sx + 0.5) / SAMPLES) / size
                    v = (y + (sy + 0.5) / SAMPLES) / size
                    colour = colour_of(u, v) or background
                    alpha = colour[3] / 255
                    r, g, b, a = (
                        r + colour[0] * alpha,
                        g + colour[1] * alpha,
                        b + colour[2] * alpha,
                        a + alpha,
                    )
            count = SAMPLES * SAMPLES
            if a == 0:
                row.append((0, 0, 0, 0))
            else:
                row.append((round(r / a), round(g / a), round(b / a), round(255 * a / count)))
        pixels.append(row)
    return _png(size, size, pixels)


def colour_icon(size: int = 192) -> bytes:
    """White shield with an accent-coloured tick on an accent-coloured square."""

    def paint(u: float, v: float) -> RGBA | None:
        if _in_shield(u, v):
            return (*ACCENT, 255) if _on_tick(u, v, 0.045) else (*WHITE, 255)
        return None

    return _render(size, paint, (*ACCENT, 255))


def outline_icon(size: int = 32) -> bytes:
    """White shield outline and tick on transparent, as Teams requires."""

    def paint(u: float, v: float) -> RGBA | None:
        edge = _in_shield(u, v) and not _in_shield(u, v, inset=0.08)
        return (*WHITE, 255) if edge or _on_tick(u, v, 0.05) else None

    return _render(size, paint, (0, 0, 0, 0))


def write_icons(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    colour, outline = folder / "color.png", folder / "outline.png"
    colour.write_bytes(colour_icon())
    outline.write_bytes(outline_icon())
    return colour, outline


if __name__ == "__main__":
    for path in write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "deploy/teams")):
        print(path)
