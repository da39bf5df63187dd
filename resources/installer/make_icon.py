"""Make siteassess.ico (the Windows programs' and the installer's icon) from the app's SVG.

    .venv/bin/python resources/installer/make_icon.py

Renders ``resources/icons/siteassess.svg`` with Qt at 16, 24, 32, 48 and 256 pixels and
writes an ICO file beside this script: the small sizes as 32-bit bitmaps (what every icon
reader takes), 256 px as PNG (what Windows expects at that size). Run it again after the
SVG changes, and commit the ICO.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG = HERE.parents[0] / "icons" / "siteassess.svg"
ICO = HERE / "siteassess.ico"
SIZES = (16, 24, 32, 48, 256)


def render(size: int) -> tuple[bytes, bytes]:
    """The SVG at ``size`` pixels: (BGRA rows top to bottom, PNG file)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes, Qt takes str
    # Format_ARGB32 is B, G, R, A in memory on little-endian machines, as ICO bitmaps are.
    rows = bytes(image.constBits())[: size * size * 4]
    return rows, bytes(data.data())


def bitmap_entry(size: int, bgra: bytes) -> bytes:
    """An ICO image as a 32-bit DIB: header, rows bottom to top, an all-clear AND mask."""
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    stride = size * 4
    rows = b"".join(bgra[y * stride : (y + 1) * stride] for y in reversed(range(size)))
    mask_stride = ((size + 31) // 32) * 4
    return header + rows + bytes(mask_stride * size)


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding ``(size, image bytes)`` entries."""
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 stands for 256
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(data for _size, data in images)


def main() -> None:
    """Render every size and write siteassess.ico."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])  # noqa: F841 - Qt's painting needs one
    images = []
    for size in SIZES:
        bgra, png = render(size)
        images.append((size, png if size >= 256 else bitmap_entry(size, bgra)))
    ICO.write_bytes(ico(images))
    print(f"{ICO}: {', '.join(map(str, SIZES))} px, {ICO.stat().st_size} bytes")


if __name__ == "__main__":
    main()
