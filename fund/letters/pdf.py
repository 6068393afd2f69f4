"""HTML to PDF/A-3b with WeasyPrint (letters and the quarterly report share this).

WeasyPrint 70: ``HTML(string=..., base_url=...).write_pdf(pdf_variant="pdf/a-3b")`` adds the
XMP identification (pdfaid:part=3, conformance=B), an sRGB output intent and a file
identifier. Fonts come from ``static/fonts`` (DejaVu Sans, embedded as subsets) so a server
without those fonts installed renders the same letter.
"""
from __future__ import annotations

from pathlib import Path

PDF_VARIANT = "pdf/a-3b"
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # base_url lets the stylesheet say url("fonts/DejaVuSans.ttf").
    return HTML(string=html, base_url=str(STATIC_DIR) + "/").write_pdf(pdf_variant=PDF_VARIANT)
