"""A receipt or X/Z report layout as a PDF (e-receipt, archive): a receipt-roll page in Courier.

Built from the same layout as the printed receipt, so both always carry the same items. Courier
is a standard PDF font with WinAnsi encoding: å ä ö and € render and extract as text.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

FONT, BOLD, SIZE = "Courier", "Courier-Bold", 8.0


def layout_pdf(layout, path: str | Path | None = None, *, width_chars: int = 42,
               title: str = "Kvitto") -> bytes:
    """Render the layout; write it to `path` when given; return the PDF bytes."""
    char_w = SIZE * 0.6  # Courier advance is 600/1000 em
    margin = 4 * mm
    page_w = width_chars * char_w + 2 * margin
    heights = [(2.2 if ln.double else 1.2) * SIZE if ln.kind in ("text", "rule") else 14 * mm
               for ln in layout]
    page_h = sum(heights) + 2 * margin
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(page_w, page_h))
    c.setTitle(title)
    y = page_h - margin
    for ln, h in zip(layout, heights):
        y -= h
        if ln.kind == "rule":
            c.setFont(FONT, SIZE)
            c.drawString(margin, y + 0.3 * SIZE, "-" * width_chars)
        elif ln.kind in ("barcode", "qr"):
            bar = code128.Code128(ln.text, barHeight=9 * mm, barWidth=0.8)
            bar.drawOn(c, max(margin, (page_w - bar.width) / 2), y + 4 * mm)
            c.setFont(FONT, SIZE)
            c.drawCentredString(page_w / 2, y + 0.5 * mm, ln.text)
        else:
            size = SIZE * 2 if ln.double else SIZE
            c.setFont(BOLD if ln.bold else FONT, size)
            x = {"center": page_w / 2, "right": page_w - margin}.get(ln.align, margin)
            draw = {"center": c.drawCentredString, "right": c.drawRightString}.get(ln.align, c.drawString)
            draw(x, y + 0.3 * SIZE, ln.text)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
