"""Draws the CrocoQB app icon and writes every format the packaging needs.

    .venv/bin/python resources/packaging/make_icons.py [--out resources/icons]

Writes `app.png` (256 px), `app-1024.png`, `app.ico` (16-256 px; BMP entries up to 128 px and a PNG
entry at 256 px, which every Windows version since Vista and Inno Setup read) and `app.icns`
(PNG entries, the set `iconutil` writes). The drawing is vector work in QPainter (no fonts, no
Pillow), so the output is the same on every machine; the generated files are committed.

The design: a green rounded tile; a lime "C" whose open end is a crocodile's jaw (teeth, an eye
on the snout) biting a white ledger card marked "QB".
"""

from __future__ import annotations

import argparse
import math
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "resources" / "icons"

TILE_TOP = QColor("#2fa85a")
TILE_BOTTOM = QColor("#17663a")
CROC = QColor("#c6ef5a")
CROC_EDGE = QColor("#0f4d2a")
TOOTH = QColor("#ffffff")
EYE = QColor("#ffffff")
PUPIL = QColor("#0f3320")
CARD = QColor("#ffffff")
CARD_RULE = QColor("#b9cfc0")
INK = QColor("#17663a")
EYE_DEG = 100.0  # where the eye sits on the "C" (degrees, counter-clockwise from 3 o'clock)

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# OSType -> pixel size, PNG payloads (the entries `iconutil` and Pillow write)
ICNS_TYPES = (
    (b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic13", 256),
    (b"ic08", 256), (b"ic14", 512), (b"ic09", 512), (b"ic10", 1024),
)


def draw_icon(size: int, *, margin: float = 0.06) -> QImage:
    """The icon at `size` px. Drawn on a 1024-unit canvas; details that would turn to noise below
    48 px (teeth, ledger rules) are left out at small sizes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.scale(size / 1024.0, size / 1024.0)
    small = size < 48
    _tile(p, margin)
    _card(p, detailed=not small)
    _croc(p, detailed=not small)
    p.end()
    return image


def _tile(p: QPainter, margin: float) -> None:
    m = 1024 * margin
    rect = QRectF(m, m, 1024 - 2 * m, 1024 - 2 * m)
    radius = rect.width() * 0.225
    gradient = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    gradient.setColorAt(0.0, TILE_TOP)
    gradient.setColorAt(1.0, TILE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(rect, radius, radius)


def _card(p: QPainter, *, detailed: bool) -> None:
    """The ledger card, slightly tilted, sitting in the jaw."""
    p.save()
    p.translate(690, 540)
    p.rotate(-8)
    card = QRectF(-150, -175, 300, 350)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(0, 0, 0, 60))
    p.drawRoundedRect(card.translated(10, 14), 28, 28)  # soft shadow
    p.setBrush(CARD)
    p.drawRoundedRect(card, 28, 28)
    _monogram_qb(p, QRectF(-112, -140, 224, 120), detailed=detailed)
    if detailed:
        rule = QPen(CARD_RULE, 14, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(rule)
        for y in (30, 80, 130):
            p.drawLine(QPointF(-110, y), QPointF(110, y))
        p.setPen(QPen(CARD_RULE, 10))
        p.drawLine(QPointF(55, 5), QPointF(55, 150))  # the amount column
    p.restore()


def _monogram_qb(p: QPainter, box: QRectF, *, detailed: bool) -> None:
    """"QB" drawn with strokes (no font, so every machine renders the same)."""
    width = 26 if detailed else 34
    pen = QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    h = box.height()
    r = h / 2 - width / 2
    # Q: a ring and a tail
    qc = QPointF(box.left() + width / 2 + r, box.center().y())
    p.drawEllipse(qc, r, r)
    d = r * math.sqrt(0.5)
    p.drawLine(QPointF(qc.x() + d * 0.35, qc.y() + d * 0.35), QPointF(qc.x() + d * 1.35, qc.y() + d * 1.35))
    # B: a stem and two bowls
    x0 = qc.x() + r + width * 1.9
    top, bottom = box.top() + width / 2, box.bottom() - width / 2
    mid = (top + bottom) / 2
    upper_r = (mid - top) / 2
    lower_r = (bottom - mid) / 2
    body = x0 + max(box.right() - x0 - lower_r - width / 2, 0) * 0.35
    path = QPainterPath(QPointF(x0, bottom))
    path.lineTo(x0, top)
    path.lineTo(body, top)
    path.arcTo(QRectF(body - upper_r, top, 2 * upper_r, 2 * upper_r), 90, -180)
    path.lineTo(x0, mid)
    path.moveTo(body, mid)
    path.arcTo(QRectF(body - lower_r * 1.1, mid, 2 * lower_r * 1.1, 2 * lower_r), 90, -180)
    path.lineTo(x0, bottom)
    p.drawPath(path)


def _croc(p: QPainter, *, detailed: bool) -> None:
    """The "C": a thick ring open to the right (the jaw), with teeth, a snout bump and an eye."""
    center = QPointF(440, 512)
    outer, inner = 330.0, 185.0
    open_deg = 38.0  # half-angle of the jaw opening
    ring = QPainterPath()
    ring.arcMoveTo(_square(center, outer), open_deg)
    ring.arcTo(_square(center, outer), open_deg, 360 - 2 * open_deg)
    ring.arcTo(_square(center, inner), -open_deg, -(360 - 2 * open_deg))
    ring.closeSubpath()
    # the brow the eye sits in
    ring.addEllipse(_polar(center, outer - 20, EYE_DEG), 78, 78)
    ring = ring.simplified()
    if detailed:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(TOOTH, 1))
        teeth = QPainterPath()
        for deg, sign in ((open_deg + 4, 1), (open_deg + 22, 1), (-open_deg - 4, -1), (-open_deg - 22, -1)):
            base_l = _polar(center, inner + 8, deg - 7 * sign)
            base_r = _polar(center, inner + 8, deg + 7 * sign)
            tip = _polar(center, inner - 62, deg + 2 * sign)
            teeth.addPolygon(QPolygonF([base_l, tip, base_r]))
            teeth.closeSubpath()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(TOOTH)
        p.drawPath(teeth)
    p.setPen(QPen(CROC_EDGE, 18 if detailed else 30, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(CROC)
    p.drawPath(ring)
    eye = _polar(center, outer - 14, EYE_DEG)
    p.setPen(QPen(CROC_EDGE, 10 if detailed else 20))
    p.setBrush(EYE)
    p.drawEllipse(eye, 44, 44)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(PUPIL)
    p.drawEllipse(eye + QPointF(6, 0), 13, 30)  # a slit pupil
    if detailed:
        p.setBrush(CROC_EDGE)
        p.drawEllipse(_polar(center, outer - 38, open_deg + 5), 13, 13)  # a nostril on the upper jaw


def _square(center: QPointF, radius: float) -> QRectF:
    return QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)


def _polar(center: QPointF, radius: float, deg: float) -> QPointF:
    rad = math.radians(deg)
    return QPointF(center.x() + radius * math.cos(rad), center.y() - radius * math.sin(rad))


# -- containers -----------------------------------------------------------------------------------
def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def _dib_bytes(image: QImage) -> bytes:
    """An ICO BMP entry: BITMAPINFOHEADER, bottom-up BGRA rows, then the 1-bit AND mask."""
    img = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory on little-endian
    w, h = img.width(), img.height()
    flipped = img.flipped(Qt.Orientation.Vertical) if hasattr(img, "flipped") else img.mirrored(False, True)
    pixels = bytes(flipped.constBits())[: w * h * 4]
    mask_stride = ((w + 31) // 32) * 4
    mask = bytearray()
    for y in range(h):
        row = bytearray(mask_stride)
        for x in range(w):
            if pixels[(y * w + x) * 4 + 3] == 0:
                row[x // 8] |= 0x80 >> (x % 8)
        mask += row
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0)
    return header + pixels + bytes(mask)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    sizes = sorted(images)
    payloads = [png_bytes(images[s]) if s >= 256 else _dib_bytes(images[s]) for s in sizes]
    out = bytearray(struct.pack("<HHH", 0, 1, len(sizes)))
    offset = 6 + 16 * len(sizes)
    for size, payload in zip(sizes, payloads, strict=True):
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    for payload in payloads:
        out += payload
    return bytes(out)


def icns_bytes(images: dict[int, QImage]) -> bytes:
    """No "TOC " block: it is optional (macOS reads the entries) and Qt's reader rejects one that lists
    two entries of the same pixel size."""
    entries = [(ostype, png_bytes(images[size])) for ostype, size in ICNS_TYPES]
    body = b"".join(ostype + struct.pack(">I", 8 + len(data)) + data for ostype, data in entries)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    flat = {s: draw_icon(s) for s in set(ICO_SIZES) | {1024}}
    # macOS draws icons on the Big Sur grid: an 824-unit tile in a 1024 canvas
    mac = {s: draw_icon(s, margin=100 / 1024) for s in {size for _, size in ICNS_TYPES}}
    written = {
        out / "app.png": png_bytes(flat[256]),
        out / "app-1024.png": png_bytes(flat[1024]),
        out / "app.ico": ico_bytes({s: flat[s] for s in ICO_SIZES}),
        out / "app.icns": icns_bytes(mac),
    }
    for path, data in written.items():
        path.write_bytes(data)
    return list(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for path in write_all(args.out):
        print(f"{path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
