"""QR codes as SVG, drawn with segno: pure Python, no image files to store."""

import io

import segno


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The SVG markup of a QR code for ``url`` (error correction M, 2-module quiet zone), without an XML
    declaration so it can also be inlined in HTML."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False)
    return buffer.getvalue().decode()
