"""PDF communiqués made by the tests with reportlab: paragraphs laid out line by line (so a
test decides where lines break and words are hyphenated), a header and a footer repeated on
every page, metadata, or a page with no text at all (as a scanned page is)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# Bitstream Vera, shipped with reportlab: it has the ligature glyphs (ﬁ, ﬂ) a PDF may carry
FONT = "Vera"
pdfmetrics.registerFont(
    TTFont(FONT, os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf"))
)


@dataclass
class PdfCommunique:
    """Pages of paragraphs, each paragraph a list of lines as they are printed."""

    pages: list[list[list[str]]]
    header: str = ""
    footer: str = ""  # ``{page}`` and ``{pages}`` are filled in
    title: str = ""  # metadata
    creation_date: str = ""  # metadata, e.g. ``D:20240404100000+02'00'``
    extra: dict[str, str] = field(default_factory=dict)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=A4, invariant=True)
        canvas.setTitle(self.title)
        height = A4[1]
        for number, page in enumerate(self.pages, start=1):
            canvas.setFont(FONT, 9)
            if self.header:
                canvas.drawString(60, height - 40, self.header)
            if self.footer:
                canvas.drawString(60, 30, self.footer.format(page=number, pages=len(self.pages)))
            y = height - 100
            canvas.setFont(FONT, 11)
            for paragraph in page:
                for line in paragraph:
                    canvas.drawString(60, y, line)
                    y -= 14
                y -= 18  # the gap between paragraphs
            canvas.showPage()
        canvas.save()
        data = out.getvalue()
        if self.creation_date:  # reportlab writes its own date; put the one asked for
            data = _with_creation_date(data, self.creation_date)
        return data


def _with_creation_date(data: bytes, date: str) -> bytes:
    start = data.index(b"/CreationDate (") + len(b"/CreationDate (")
    end = data.index(b")", start)
    old = data[start:end]
    new = date.encode("ascii")[: len(old)].ljust(len(old), b"0")  # same length: offsets hold
    return data[:start] + new + data[end:]


def scanned_pdf() -> bytes:
    """A page with only a picture of text (here a grey rectangle), as a scanner makes."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setFillGray(0.5)
    canvas.rect(60, 400, 400, 300, fill=1)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
