"""Second typography pass, rule by rule on paragraphs built to provoke each case (fixed metrics)."""
from pytest import approx

from layout.text.byline import people_breaks, split_people
from layout.text.compose import compose_heading, compose_paragraph
from layout.text.hyphen import hyphen_points
from layout.text.segment import Span

from .conftest import FixedMetrics

EM = 10.0


class NarrowQuotes(FixedMetrics):
    """Like LXGW WenKai: “ ” ‘ ’ drawn 0.35 em wide."""

    def glyph(self, font, ch):
        if ch in "“”‘’":
            return ("narrow", 0.35)
        return super().glyph(font, ch)


def glyphs(line):
    out = []
    for run in line.runs:
        x = run.x
        for ch in run.text:
            out.append((x / EM, ch))
            x += FixedMetrics().glyph("song", ch)[1] * run.size * run.hscale + run.tracking if ch not in "“”‘’" \
                else 0.35 * run.size + run.tracking
    return out


def xs(line, ch, nth=0):
    return [x for x, c in glyphs(line) if c == ch][nth]


def compose(spans, width_em, metrics=None, indent=0):
    lines, missing = compose_paragraph(tuple(spans), width_em * EM, metrics or FixedMetrics(), EM, indent=indent)
    assert not missing
    return lines


def test_every_non_final_line_meets_the_measure():
    """后推出 first lines, lines with narrow signs (+) and lines with digits and Latin words all fill the measure."""
    texts = ["观光等为一体的特色产业，并积极协调相关部门，全力支持采摘园。",
             "按照“支部引领+党员带头+群众共同参与”的思路，坚持将组织优势转化为发展优势。",
             "村对28亩坡梁地新配滴灌设施，铺设管道6.2公里；争取县水务局帮扶资金。",
             "本次篮球赛的12支参赛队伍由全县各乡镇机关企事业单位的146名运动员组成。"]
    for text in texts:
        for width in (9, 11, 13):
            lines = compose([Span(text, "song", EM)], width, indent=2 * EM)
            for line in lines[:-1]:
                assert line.width == approx(width * EM, abs=0.05), (width, line.text)


def test_a_byline_breaks_between_people_only():
    byline = "本报讯（记者 云艳芳 通讯员 乔羽）"
    allowed = people_breaks(byline)
    assert byline.index("讯（") in allowed                     # 本报讯 / （记者 …
    assert byline.index("芳") in allowed                      # … 云艳芳 / 通讯员 乔羽）
    assert byline.index("者") not in allowed                  # never 记者 / 云艳芳
    assert byline.index("通") not in allowed                  # never 通 / 讯员
    lines = compose([Span(byline, "kai", EM, people=True), Span("独具特色的妇女微家里出自居民之手的串珠。", "song", EM)],
                    13, indent=2 * EM)
    assert lines[0].text.replace(" ", "").endswith("云艳芳")
    assert not split_people([ln.text for ln in lines], byline)


def test_a_credit_that_cannot_break_between_people_is_split_and_said_so():
    credit = "新华社特约摄影记者 欧阳司马长风 摄"
    lines, _ = compose_heading((Span(credit, "kai", EM, people=True),), 8 * EM, FixedMetrics(), EM)
    assert len(lines) > 1 and split_people([ln.text for ln in lines], credit)


def test_a_number_with_its_unit_sign_is_one_latin_run():
    line = compose([Span("增长85%以上，温度25℃的水", "song", EM)], 40)[0]
    assert xs(line, "以") - (xs(line, "%") + 0.5) == approx(0.25)      # ¼ em after the sign, as before the digits
    assert xs(line, "8") - (xs(line, "长") + 1) == approx(0.25)
    assert xs(line, "的") - (xs(line, "℃") + 0.5) == approx(0.25)


def test_narrow_quotes_are_set_full_width_with_ink_on_their_side():
    line = compose([Span("开展“传承红色基因”主题党日活动", "kai", EM)], 40, NarrowQuotes())[0]
    # “ takes its em, its glyph drawn at the right of the box; ” takes its em, drawn at the left
    assert xs(line, "传") - xs(line, "展") == approx(2)
    assert xs(line, "“") == approx(xs(line, "展") + 2 - 0.35)
    assert xs(line, "主") - xs(line, "因") == approx(2)
    assert xs(line, "”") == approx(xs(line, "因") + 1)


def test_narrow_quotes_compress_like_other_marks():
    lines = compose([Span("他说：“好。”“我看呀，这么高的地方也能种。”", "kai", EM)], 40, NarrowQuotes())
    line = lines[0]
    assert xs(line, "“") + 0.35 - xs(line, "：") == approx(1.5, abs=1e-6)   # ：“ is 1.5 em, the “ ink at its end
    assert xs(line, "“", 1) + 0.35 - xs(line, "。") == approx(2.0, abs=1e-6)  # 。”“ : 0.5 + 0.5 + 1


def test_hyphenation_points():
    assert hyphen_points("maximumFractionDigits")                 # a long camelCase word
    assert hyphen_points("https://example.com/typesetting") == ()  # never in URLs
    assert hyphen_points("xfq@w3.org") == ()
    assert hyphen_points("U+300CLEFT") == ()                        # never in code points
    assert hyphen_points("1234567890") == ()                        # never in numbers
    assert hyphen_points("word") == ()                              # short words stay whole


def test_a_long_latin_word_is_hyphenated_not_split():
    text = "你也可以用minimumFractionDigits和maximumFractionDigits来覆盖默认值。"
    lines = compose([Span(text, "song", EM)], 13)
    for line, nxt in zip(lines, lines[1:]):
        a, b = line.text[-1], nxt.text[0]
        if a.isascii() and a.isalpha() and b.isascii() and b.isalpha():
            raise AssertionError(f"split without a hyphen: {line.text} / {nxt.text}")
    assert any(line.hyphen and line.text.endswith("-") for line in lines)
    assert "".join(line.text[:-1] if line.hyphen else line.text for line in lines) == text
    for line in lines[:-1]:
        assert line.width == approx(13 * EM, abs=0.05)


def test_a_byline_that_cannot_break_between_people_is_set_flush_left_not_split():
    """本报讯（实习记者 刘艳霞） on a 13-em measure with the 2-em indent: no break between people fills the
    line; the break before （ would leave 本报讯 letter-spaced by 2 em, the one after the title 实习记者 by
    nearly ½ em: so the first line ends before （, flush left at its natural spacing, and nobody is split."""
    byline = "本报讯（实习记者 刘艳霞）"
    lines = compose([Span(byline, "kai", EM, people=True), Span("格格老南瓜、后窑子萝卜、酵素小米。", "song", EM)],
                    13, indent=2 * EM)
    assert lines[0].text == "本报讯"
    assert lines[0].width == approx(5 * EM)                          # indent + three characters, unspaced
    assert lines[1].text.startswith("（实习记者 刘艳霞）")
    for line in lines[1:-1]:
        assert line.width == approx(13 * EM, abs=0.05)
    assert not split_people([ln.text for ln in lines], byline)


def test_a_byline_line_never_spaced_loosely():
    """Bylines kept whole: a line that ends between people and would need more than ⅛ em between its
    characters is set flush left at natural spacing instead; one that fills with little spacing is justified."""
    byline = "本报讯（记者 林晓 通讯员 欧阳云艳芳）"
    lines = compose([Span(byline, "kai", EM, people=True), Span("社区以党建为引领把居民议事会志愿服务队拧成一股绳。", "song", EM)],
                    13, indent=2 * EM)
    assert lines[0].text == "本报讯（记者 林晓"                       # 9.25 em of 13: not spread over 8 slots
    assert lines[0].width == approx(11 * EM)                          # indent + 9 em, unspaced
    assert [r.tracking for r in lines[0].runs] == approx([0.0] * len(lines[0].runs))
    assert lines[1].text.startswith("通讯员 欧阳云艳芳）")
    assert not split_people([ln.text for ln in lines], byline)
    lines = compose([Span(byline, "kai", EM, people=True), Span("社区以党建为引领把居民议事会拧成一股绳。", "song", EM)],
                    9.5, indent=0)
    assert lines[0].text == "本报讯（记者 林晓"                       # 9 em of 9.5: ½ em over 8 slots, justified
    for line in lines[:-1]:
        assert line.width == approx(9.5 * EM, abs=0.05)

def test_no_holes_beside_long_latin_words_when_other_breaks_avoid_them():
    """Long identifiers in a narrow column (the w3c-numbers corpus page): a line whose few spacing slots
    would each widen by more than ⅔ em (a gap beside a Latin word of over an em, read as a word space)
    is a last resort; other hyphenation points and breaks are taken instead, every line still full."""
    from layout.text.linebreak import HOLE_SPREAD, Paragraph, break_lines
    from layout.text.segment import atomize
    cases = [("你也可以用minimumFractionDigits和maximumFractionDigits来覆盖默认值，或者用"
              "maximumSignificantDigits和minimumIntegerDigits设定位数。", (7, 9)),
             ("调用Intl.NumberFormat.prototype.formatToParts得到各部分。", (13, 14))]
    for text, widths in cases:
        for width in widths:
            atoms, gaps, _ = atomize((Span(text, "song", EM),), FixedMetrics(), indent=2 * EM)
            par = Paragraph(atoms, gaps, width * EM, EM)
            for fit in break_lines(par)[:-1]:
                short = par.measure - par.natural(fit.start, fit.end) - \
                    (par.stretch[fit.end] - par.stretch[fit.start])
                slots = par.spread[fit.end] - par.spread[fit.start]
                if slots and short > 0.01:
                    assert short / slots <= HOLE_SPREAD * EM, (width, "".join(a.ch for a in atoms[fit.start:fit.end + 1]))
            lines = compose([Span(text, "song", EM)], width, indent=2 * EM)
            for line in lines[:-1]:
                assert line.width == approx(width * EM, abs=0.05)
            assert "".join(ln.text[:-1] if ln.hyphen else ln.text for ln in lines) == text


def test_a_dateline_breaks_between_its_place_and_its_date():
    """新华社呼和浩特11月30日电, typed without a space, on 11 em with the 2-em indent: it cannot stand on one
    line; it breaks before its date (新华社呼和浩特 / 11月30日电), set flush left, never inside the place, the
    date (11 / 月) or between a year and its month."""
    dateline = "新华社呼和浩特11月30日电"
    allowed = people_breaks(dateline)
    assert allowed == {dateline.index("特")}
    assert people_breaks("新华社北京2024年11月30日电") == {len("新华社北京") - 1}
    lines = compose([Span(dateline, "kai", EM, people=True), Span("老街巷里的社区食堂开张一个月。", "song", EM)],
                    11, indent=2 * EM)
    assert lines[0].text == "新华社呼和浩特" and lines[1].text.startswith("11月30日电")
    assert not split_people([ln.text for ln in lines], dateline)
