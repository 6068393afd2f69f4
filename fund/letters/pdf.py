"""HTML to PDF/A-3b with WeasyPrint (letters and the quarterly report share this).

WeasyPrint 70: ``HTML(string=..., base_url=...).write_pdf(pdf_variant="pdf/a-3b")`` adds the
XMP identification (pdfaid:part=3, conformance=B), an sRGB output intent and a file
identifier. Fonts come from ``static/fonts`` (DejaVu Sans, embedded as subsets) so a server
without those fonts installed renders the same letter.
"""
from __future__ import annotations

import threading
from pathlib import Path

PDF_VARIANT = "pdf/a-3b"
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
_prepared = threading.local()  # per thread: WeasyPrint's font configuration is not shared safely


def prepared_stylesheet(path: Path):
    """(CSS, FontConfiguration) of a stylesheet, parsed and its @font-face fonts loaded once per
    thread and file, instead of once per letter (docs/performance.md, letters)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    cache = _prepared.__dict__.setdefault("sheets", {})
    key = (str(path), path.stat().st_mtime_ns)
    if key not in cache:
        fonts = FontConfiguration()
        # base_url lets the stylesheet say url("fonts/DejaVuSans.ttf").
        cache[key] = (CSS(filename=str(path), base_url=str(STATIC_DIR) + "/", font_config=fonts), fonts)
    return cache[key]


def html_to_pdf(html: str, stylesheet: Path | None = None) -> bytes:
    """PDF/A-3b of ``html``; ``stylesheet`` is applied as a prepared sheet (see above)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(STATIC_DIR) + "/")
    if stylesheet is None:
        return document.write_pdf(pdf_variant=PDF_VARIANT)
    css, fonts = prepared_stylesheet(stylesheet)
    return document.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT)
