"""The renderer's own text-showing step (render/pdf.py show_text) writes exactly the operators
ReportLab's textOut() writes, subsets and escapes included, only without measuring the string."""
from __future__ import annotations

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from layout.fonts import load_catalog
from layout.render import rl_fonts
from layout.render.pdf import show_text

# CJK, Latin, characters PDF strings escape, a no-break space, an astral character, a character the
# face lacks, an empty run; then 600 distinct Han characters, so that the runs span several subsets
RUNS = ["中文排版，党旗领航。", "ABC (1) \\ 2", "\u00a0x\u00a0", "𠮷野家", "\u0e01", "",
        *("".join(chr(0x4E00 + 7 * i + j) for j in range(40)) for i in range(15)), "中文 again（再）"]


def draw(show) -> tuple:
    name = rl_fonts.register(load_catalog().face("Noto Serif CJK SC"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=name, initialFontSize=9)
    text = canvas.beginText()
    font = pdfmetrics.getFont(name)
    for i, run in enumerate(RUNS):
        if i % 5 == 0:
            text.setFont(name, 9 + i % 3)       # a new font size: ReportLab writes the Tf again
        text.setTextOrigin(10, 800 - 12 * i)
        show(text, font, run)
    code = list(text._code)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return code, buffer.getvalue()


def test_show_text_writes_what_textout_writes():
    ours_code, ours_pdf = draw(show_text)
    theirs_code, theirs_pdf = draw(lambda text, font, run: text.textOut(run))
    assert sum(" Tf " in c for c in theirs_code) >= 5          # several subsets were reached
    assert ours_code == theirs_code
    assert ours_pdf == theirs_pdf


def test_codes_learnt_for_the_page_write_what_textout_writes():
    """The renderer learns a font's codes for the whole page first (pdf._Codes: splitString over the
    page's characters in order), then encodes each run with str.translate: the same subsets, codes and
    operators as textOut() run by run, no-break spaces, astral and missing characters included."""
    from layout.render.pdf import _Codes

    def learnt(text, font, run, seen={}):
        codes = seen.get(text._doc)
        if codes is None:
            codes = seen[text._doc] = _Codes(font, text._doc, "".join(dict.fromkeys("".join(RUNS))))
        codes.show(text, run)

    ours_code, ours_pdf = draw(learnt)
    theirs_code, theirs_pdf = draw(lambda text, font, run: text.textOut(run))
    assert ours_code == theirs_code
    assert ours_pdf == theirs_pdf
