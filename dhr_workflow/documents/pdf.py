"""Tagged PDF (PDF/UA-1) with WeasyPrint. `pdf_variant="pdf/ua-1"` is what makes the structure tree, MarkInfo,
/Lang and the title appear (engineering-notes §4.2); default WeasyPrint output is untagged."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", font_config=_fonts())
    return pdf
