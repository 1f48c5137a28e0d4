"""Flowables and the canvas of riskcheck's PDFs: the QR symbol and "Page X of Y" numbering."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from riskcheck.report.fonts import FONT

#: secondary text (contrast 7:1 on white, readable printed in black and white)
MUTED = colors.HexColor("#4a5a66")


class QrCode(Flowable):
    """A QR symbol drawn straight on the canvas: one rectangle per run of dark modules.

    (ReportLab's QrCodeWidget builds a validated shape per run, which took a third of
    the time of a whole two-page summary.)
    """

    def __init__(self, text: str, size: float, border: int = 2) -> None:
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(text)
        # Any of the 8 mask patterns makes a valid symbol; trying all 8 for the "best" took
        # an eighth of the whole summary's render time, for a 26-symbol code.
        code.version = code.calculate_version()
        code.makeImpl(False, 0)
        self.modules = code.modules
        self.size = size
        self.border = border

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.modules)
        box = self.size / (count + 2 * self.border)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for row_index, row in enumerate(self.modules):
            y = self.size - (row_index + self.border + 1) * box
            column = 0
            while column < count:
                if row[column]:
                    start = column
                    while column < count and row[column]:
                        column += 1
                    canvas.rect(
                        (start + self.border) * box,
                        y,
                        (column - start) * box,
                        box,
                        stroke=0,
                        fill=1,
                    )
                else:
                    column += 1


class NumberedCanvas(Canvas):
    """Draws "Page X of Y" once the total is known (pretix NumberedCanvas)."""

    #: "Page %(page)d of %(pages)d", translated; set by the renderer
    page_label = "Page %(page)d of %(pages)d"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8.5)
            self.setFillColor(MUTED)
            label = self.page_label % {"page": self._pageNumber, "pages": total}
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, label)
            super().showPage()
        super().save()
