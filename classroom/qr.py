"""The check-in QR code as an SVG data URI (segno, rendered on the server: no script from elsewhere)."""

import segno


def svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#000", light="#fff")
