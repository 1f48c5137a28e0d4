"""Report -> PDF bytes with ReportLab, in memory (nothing is written to disk).

Shaped after pretix's invoice renderer: a renderer class with hooks for fonts, styles,
the story and the page furniture, and a canvas that numbers pages "Page X of Y". Every
string from a definition or a patient goes through ``riskcheck.report.text`` (escaped, a
font per script, right-to-left lines reordered) before it reaches a Paragraph, whose
mini-language would otherwise read ``<`` and ``&`` as markup.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from riskcheck.report.content import Report
from riskcheck.report.flowables import MUTED, NumberedCanvas, QrCode
from riskcheck.report.fonts import FONT, FONT_BOLD, register_base
from riskcheck.report.text import clean_text, paragraph

__all__ = ["FONT", "FONT_BOLD", "ReportRenderer", "clean_text", "render_pdf"]

#: the fonts' hook, under its former name (the logic summary and benchmarks call it)
_register_fonts = register_base
#: under its former name (benchmarks/web.py profiles it)
_NumberedCanvas = NumberedCanvas

#: Urgency colours; the words are always printed too (colour is never the only signal).
URGENCY_COLOURS = {
    "routine": colors.HexColor("#2e7d32"),
    "soon": colors.HexColor("#8a5a00"),
    "urgent": colors.HexColor("#b3471d"),
    "emergency": colors.HexColor("#a4161a"),
}
INK = colors.HexColor("#1d2a33")
LINE = colors.HexColor("#c9d3d9")
SHADE = colors.HexColor("#f1f4f6")
BRAND = colors.HexColor("#0b5c7a")


class ReportRenderer:
    """Draws a Report; subclass and override a hook to change one part."""

    def __init__(self, report: Report) -> None:
        self.report = report
        register_base()
        self.styles = self._stylesheet()

    def render(self) -> bytes:
        """The PDF as bytes."""
        return self._build(
            title=f"{self.report.heading} – {self.report.questionnaire}",
            subject=self.report.questionnaire,
            page_label=self.report.labels["page"],
        )

    def _build(self, *, title: str, subject: str, page_label: str | None = None) -> bytes:
        """Lay out ``self._story()`` on A4 pages with the page furniture of ``_on_page``."""
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=20 * mm,
            title=title,
            author="riskcheck",
            subject=subject,
            invariant=True,
        )
        canvas_class = (
            type("NumberedCanvas", (NumberedCanvas,), {"page_label": page_label})
            if page_label
            else NumberedCanvas
        )
        document.build(
            self._story(),
            onFirstPage=self._on_page,
            onLaterPages=self._on_page,
            canvasmaker=canvas_class,
        )
        return buffer.getvalue()

    # -- hooks ------------------------------------------------------------------------------

    def _stylesheet(self) -> dict[str, ParagraphStyle]:
        base = ParagraphStyle(
            "body", fontName=FONT, fontSize=10, leading=13.5, textColor=INK, spaceAfter=4
        )
        return {
            "body": base,
            "small": ParagraphStyle(
                "small", parent=base, fontSize=8.5, leading=11, textColor=MUTED
            ),
            "title": ParagraphStyle(
                "title",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=18,
                leading=22,
                textColor=BRAND,
                spaceAfter=2,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=12.5,
                leading=16,
                spaceBefore=10,
                spaceAfter=4,
                textColor=BRAND,
            ),
            "h3": ParagraphStyle(
                "h3",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=10.5,
                leading=14,
                spaceBefore=4,
                spaceAfter=2,
            ),
            "urgency": ParagraphStyle(
                "urgency",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=12.5,
                leading=16,
                textColor=colors.white,
                spaceAfter=0,
            ),
            # Reasons and the answers behind them: 9.5 pt at least, full contrast (a GP reads
            # them on a black-and-white printout).
            "reason": ParagraphStyle("reason", parent=base, fontSize=9.5, leading=12.5),
            "finding": ParagraphStyle(
                "finding",
                parent=base,
                fontSize=9.5,
                leading=12.5,
                spaceAfter=1,
                leftIndent=9,
                firstLineIndent=-9,
            ),
            "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, spaceAfter=0),
            "unticked": ParagraphStyle(
                "unticked",
                parent=base,
                fontSize=9,
                leading=12,
                backColor=SHADE,
                borderPadding=3,
                spaceBefore=4,
                spaceAfter=4,
                leftIndent=3,
                rightIndent=3,
            ),
            "cell_bold": ParagraphStyle(
                "cell_bold", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12, spaceAfter=0
            ),
            "code": ParagraphStyle(
                "code", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12, alignment=TA_RIGHT
            ),
            "right": ParagraphStyle(
                "right",
                parent=base,
                fontSize=8.5,
                leading=11,
                textColor=MUTED,
                alignment=TA_RIGHT,
                spaceAfter=0,
            ),
        }

    def _p(self, text: str, style: str = "body") -> Paragraph:
        return paragraph(text, self.styles[style])

    def _story(self) -> list[Flowable]:
        r, label = self.report, self.report.labels
        story: list[Flowable] = [self._header()]
        if r.emergency_notice:  # what to do now comes before everything else
            story.append(
                self._box(self._p(r.emergency_notice, "urgency"), URGENCY_COLOURS["emergency"])
            )
        story += self._summary()
        story.append(self._urgency())
        if r.ended_early:
            story.append(self._p(r.ended_early, "h3"))
        story += self._recommendations()
        if r.scales:
            story.append(self._p(label["scores"], "h2"))
            rows = [
                [
                    self._p(s.title, "cell"),
                    self._p(s.value, "cell_bold"),
                    self._p(s.meaning, "cell"),
                ]
                for s in r.scales
            ]
            story.append(
                self._table(
                    rows,
                    [70 * mm, 20 * mm, None],
                    header=(label["scale"], label["score"], label["meaning"]),
                )
            )
        if r.ask_your_doctor:
            story.append(self._p(label["ask"], "h2"))
            story.append(self._bullets(r.ask_your_doctor))
        story.append(self._p(label["answers"], "h2"))
        rows = [
            [self._p(a.question, "cell"), self._p(a.answer, "cell_bold")]
            for a in r.answers
            if not a.grouped
        ]
        story.append(
            self._table(rows, [105 * mm, None], header=(label["question"], label["answer"]))
        )
        story += self._unticked()
        if r.set_aside:
            story.append(self._p(label["set_aside"], "h2"))
            story.append(self._bullets(r.set_aside))
        story.append(self._p(label["sources"], "h2"))
        story.append(self._bullets(r.sources, style="small"))
        story.append(self._p(label["note"], "h2"))
        story.append(self._p(r.disclaimer))
        return story

    def _on_page(self, canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.line(18 * mm, 15 * mm, A4[0] - 18 * mm, 15 * mm)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, self.report.footer)
        canvas.drawString(
            18 * mm, 6.5 * mm, f"{self.report.labels['reference']} {self.report.reference}"
        )
        canvas.restoreState()

    # -- parts ------------------------------------------------------------------------------

    def _header(self) -> Flowable:
        r, label = self.report, self.report.labels
        left: list[Flowable] = [
            self._p(r.heading, "title"),
            self._p(label["version"] % {"title": r.questionnaire, "version": r.version}, "h3"),
            self._p(label["created"] % {"date": r.created}, "small"),
        ]
        if r.name:
            left.append(self._p(label["name"] % {"name": r.name}, "body"))
        if r.birth_date:
            left.append(self._p(label["birth_date"] % {"date": r.birth_date}, "body"))
        qr = QrCode(r.reference_raw, 26 * mm)
        qr.hAlign = "RIGHT"
        right = [qr, self._p(label["reference"], "right"), self._p(r.reference, "code")]
        # splitInRow: never a LayoutError, whatever the header holds
        table = Table([[left, right]], colWidths=[None, 80 * mm], splitByRow=False, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def _summary(self) -> list[Flowable]:
        """The clinician's box: how soon, the positive findings, the scores, the reference."""
        r, label = self.report, self.report.labels

        def items(texts: tuple[str, ...]) -> list[Flowable]:
            return [self._p(f"• {text}", "finding") for text in texts]

        rows = [
            [
                self._p(label["urgency"], "cell_bold"),
                self._p(f"{r.urgency_label.upper()} — {r.urgency_action}", "cell_bold"),
            ],
            [
                self._p(label["findings"], "cell_bold"),
                items(r.findings) if r.findings else self._p(label["none_found"], "cell"),
            ],
        ]
        if r.score_findings:
            rows.append([self._p(label["scores_found"], "cell_bold"), items(r.score_findings)])
        rows.append([self._p(label["reference"], "cell_bold"), self._p(r.reference, "cell_bold")])
        # White with a dark frame, no tint: it prints the same in black and white.
        table = Table(rows, colWidths=[32 * mm, None], splitByRow=False, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1, INK),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.3, LINE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return [Spacer(1, 4), self._p(label["summary"], "h3"), table]

    def _unticked(self) -> list[Flowable]:
        """Each page's unticked boxes, one shaded paragraph a page, after every other answer
        (plain paragraphs, not table rows: they flow over a page break without the cost of
        splitting a table row, about a sixth of the whole render)."""
        return [
            # one plain run of text: a bold label in a long paragraph made ReportLab wrap it
            # several times slower
            self._p(f"{a.section} — {a.question}: {a.answer}", "unticked")
            for a in self.report.answers
            if a.grouped
        ]

    def _urgency(self) -> Flowable:
        r = self.report
        colour = URGENCY_COLOURS[r.urgency]
        label = self._p(r.urgency_label.upper(), "urgency")
        action = self._p(r.urgency_action, "h3")
        table = Table([[label, action]], colWidths=[40 * mm, None])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (0, 0), colour),
                    ("BOX", (0, 0), (-1, -1), 1.2, colour),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return KeepTogether([Spacer(1, 6), self._p(r.labels["how_soon"], "h2"), table])

    def _recommendations(self) -> list[Flowable]:
        r, label = self.report, self.report.labels
        story: list[Flowable] = [self._p(label["next_steps"], "h2")]
        if r.no_findings:
            story.append(self._p(r.no_findings))
        for number, rec in enumerate(r.recommendations, 1):
            block: list[Flowable] = [
                self._p(f"{number}. {rec.title} — {rec.urgency_label}", "h3"),
                self._p(rec.text),
            ]
            for reason, answers in rec.reasons:
                block.append(self._p(label["why"] % {"reason": reason}, "reason"))
                if answers:
                    block.append(self._bullets(answers, style="reason"))
            if rec.citations:
                block.append(
                    self._p(label["source"] % {"citations": "; ".join(rec.citations)}, "small")
                )
            story.append(KeepTogether(block[:2]))
            story += block[2:]
        return story

    def _table(
        self, rows: list[list[Flowable]], widths: list[Any], header: tuple[str, ...]
    ) -> Table:
        head = [self._p(text, "cell_bold") for text in header]
        # splitInRow: a row taller than a page (a 2,000-character answer) continues on the
        # next page instead of raising LayoutError. splitByRow=False tries that first: split
        # between rows first, the rest of the table went on the same page behind a second
        # copy of the header row.
        table = Table([head, *rows], colWidths=widths, repeatRows=1, splitByRow=False, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, LINE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def _bullets(self, items: tuple[str, ...] | list[str], style: str = "body") -> Flowable:
        return ListFlowable(
            [ListItem(self._p(item, style), leftIndent=12) for item in items],
            bulletType="bullet",
            start="•",
            leftIndent=12,
            bulletFontName=FONT,
        )

    def _box(self, content: Flowable, colour: colors.Color) -> Table:
        table = Table([[content]], colWidths=[None])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colour),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return table


def render_pdf(report: Report) -> bytes:
    """The summary as PDF bytes."""
    return ReportRenderer(report).render()
