"""QR codes as SVG, drawn with segno: pure Python, no image files to store."""

import io

import segno

# ISO/IEC 18004 asks for a light margin of four modules around the symbol; with less, phone readers fail
# when a frame or text comes close (the certificate's border, a poster's edge).
QUIET_ZONE = 4


def qr_svg(url: str, *, scale: int = 4, scalable: bool = False) -> str:
    """The SVG markup of a QR code for ``url`` (error correction M, a quiet zone of four modules),
    without an XML declaration so it can also be inlined in HTML. ``scalable``: a viewBox instead of a
    width and height, so the page's CSS sizes it (quiet zone included) and it never overflows its box."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False, omitsize=scalable
    )
    return buffer.getvalue().decode()
