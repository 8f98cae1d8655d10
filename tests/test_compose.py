"""Chinese line composition rules (clreq basic level), on fixed metrics: each test names its rule."""
import pytest

from layout.text import classes as C
from layout.text.compose import compose_heading, compose_paragraph
from layout.text.segment import Span

EM = 9.0
MEASURE = 13 * EM


def lines_of(text, fixed_metrics, measure=MEASURE, indent=None, byline=None):
    spans = ([Span(byline, "kai", EM)] if byline else []) + [Span(text, "song", EM)]
    lines, missing = compose_paragraph(spans, measure, fixed_metrics, EM, indent=indent)
    return lines, missing


def glyphs(line):
    """(x, char, advance) of every glyph on a set line, from its runs (tracking after each glyph)."""
    out = []
    for r in line.runs:
        x = r.x
        for ch in r.text:
            wide = C.is_wide(ch) or C.char_class(ch) in C.PUNCT_CLASSES
            adv = EM if wide else EM * 0.5
            out.append((x, ch, adv))
            x += adv + r.tracking
    return out


def runs_tracking(line):
    return max(abs(r.tracking) for r in line.runs)


SAMPLE = ("“小刘，勾线的动作要利落，你看看我是怎么勾的。”愉悦的笑声从阳光小镇小区内一间不大的屋子传来，一群妇女正围坐在一起，"
          "边聊家常边编织手工艺术品。她们还有一个身份——“阳光女红”妇女微家的成员。亩产量增加60%，亩均增收600余元，"
          "选聘楼栋长2126名，单元长7665名……国家反诈App安装，GDP增长6.2%。《塔布赛村创建乡村振兴示范村三年行动计划》（草案）。")


def test_no_line_starts_with_closing_or_pause_marks(fixed_metrics):
    for width in range(8, 20):
        lines, _ = lines_of(SAMPLE, fixed_metrics, measure=width * EM)
        for line in lines[1:]:
            assert line.text[0] not in C.NO_START, (width, line.text)


def test_no_line_ends_with_opening_marks(fixed_metrics):
    for width in range(8, 20):
        lines, _ = lines_of(SAMPLE, fixed_metrics, measure=width * EM)
        for line in lines[:-1]:
            assert line.text[-1] not in C.NO_END, (width, line.text)


@pytest.mark.parametrize("unit", ["60%", "2126", "7665", "600", "App", "GDP", "6.2%", "——", "……"])
def test_numbers_words_dashes_and_ellipses_stay_whole(fixed_metrics, unit):
    for width in range(8, 20):
        lines, _ = lines_of(SAMPLE, fixed_metrics, measure=width * EM)
        joined = "\n".join(line.text for line in lines)
        assert unit in joined.replace(" ", ""), (width, unit, joined)


def test_every_line_but_the_last_fills_the_measure(fixed_metrics):
    for width in range(8, 20):
        lines, _ = lines_of(SAMPLE, fixed_metrics, measure=width * EM)
        for line in lines[:-1]:
            right = max(x + adv for x, _, adv in glyphs(line))
            # a mark at the line end is set half width: its ink ends at x + 0.5 em
            last_x, last_ch, last_adv = glyphs(line)[-1]
            if last_ch in C.CLOSING | C.PAUSE | C.STOP:
                right = last_x + EM / 2
            assert abs(line.width - MEASURE * width / 13) < 0.5 and abs(right - width * EM) < 0.5, line.text


def test_last_line_is_never_a_lone_character(fixed_metrics):
    for extra in ("", "了", "了。", "一个", "好的。"):
        text = "我们" * 6 + "说" * 11 + extra
        lines, _ = lines_of(text, fixed_metrics)
        letters = [ch for ch in lines[-1].text if C.is_letter(C.char_class(ch))]
        assert len(letters) >= 2, [l.text for l in lines]


def test_first_line_indent_is_two_ems(fixed_metrics):
    lines, _ = lines_of("正文" * 20, fixed_metrics)
    assert glyphs(lines[0])[0][0] == pytest.approx(2 * EM)
    assert glyphs(lines[1])[0][0] == pytest.approx(0)


def test_adjacent_marks_take_one_and_a_half_em(fixed_metrics):
    lines, _ = lines_of("他说：“好。”我们走", fixed_metrics, indent=0, measure=40 * EM)
    g = glyphs(lines[0])
    pos = {ch: x for x, ch, _ in g}
    assert pos["“"] - pos["："] == pytest.approx(EM / 2 + 0)   # ：set half, “ keeps its left blank
    assert pos["我"] - pos["。"] == pytest.approx(1.5 * EM)     # 。” together take 1.5 em


def test_mark_at_line_end_is_half_width(fixed_metrics):
    text = "一二三四五六七八九十十，二三四五六七八九十十一十二"
    lines, _ = lines_of(text, fixed_metrics, indent=0, measure=11.5 * EM)
    assert lines[0].text == "一二三四五六七八九十十，"
    x, ch, _ = glyphs(lines[0])[-1]
    assert ch == "，" and x + EM / 2 == pytest.approx(11.5 * EM, abs=0.01)
    assert runs_tracking(lines[0]) == 0     # no letter-spacing needed: the half-width mark fits exactly


def test_quarter_em_between_han_and_latin_but_not_at_line_edges(fixed_metrics):
    lines, _ = lines_of("使用App安装", fixed_metrics, indent=0, measure=40 * EM)
    g = glyphs(lines[0])
    x = {ch: x for x, ch, _ in g}
    assert x["A"] - (x["用"] + EM) == pytest.approx(EM / 4)
    assert x["安"] - (x["p"] + EM / 2) == pytest.approx(EM / 4)
    lines, _ = lines_of("App安装", fixed_metrics, indent=0, measure=40 * EM)
    assert glyphs(lines[0])[0][0] == 0


def test_squeeze_in_before_pushing_down(fixed_metrics):
    # 13 ems then a comma that may not start a line: compress the inner comma and keep it (先挤进)
    text = "一二三，四五六七八九十一二，五六七八"
    lines, _ = lines_of(text, fixed_metrics, indent=0)
    assert lines[0].text == "一二三，四五六七八九十一二，"
    # with no mark to compress, the last character is pushed down with it (后推出)
    text = "一二三四五六七八九十一二三，四五六七八九"
    lines, _ = lines_of(text, fixed_metrics, indent=0)
    assert lines[0].text == "一二三四五六七八九十一二" and lines[1].text.startswith("三，")


def test_byline_runs_in_with_its_own_face(fixed_metrics):
    class TwoFaces(type(fixed_metrics)):
        def glyph(self, font, ch):
            found = super().glyph(font, ch)
            return found and (font, found[1])
    lines, _ = lines_of("正文开始了。", TwoFaces(), byline="本报讯（记者 甲）")
    faces = [r.face for r in lines[0].runs]
    assert faces[0] == "kai" and "song" in faces
    assert lines[0].text.startswith("本报讯（记者 甲）正文")


def test_missing_glyphs_are_reported_not_drawn(fixed_metrics):
    lines, missing = lines_of("有\ue000字", fixed_metrics)
    assert [m.char for m in missing] == ["\ue000"]
    assert "\ue000" not in "".join(l.text for l in lines)


def test_headline_breaks_balanced_at_the_space(fixed_metrics):
    lines, _ = compose_heading([Span("聚焦群众工作 办好为民实事", "hei", 22)], 243, fixed_metrics, 22)
    assert [l.text for l in lines] == ["聚焦群众工作", "办好为民实事"]


def test_headline_never_leaves_a_lone_character(fixed_metrics):
    lines, _ = compose_heading([Span("回民区党建引领推动社区民族工作网格化管理", "hei", 22)], 10 * 22, fixed_metrics, 22)
    assert len(lines) == 2 and all(len(l.text) >= 2 for l in lines)
    assert abs(len(lines[0].text) - len(lines[1].text)) <= 1


def test_a_display_line_sets_an_opening_mark_at_its_start_in_its_half_box(fixed_metrics):
    """“四圈共建”聚合力 as a headline: the opening quote's blank half is dropped (the line is centred by its
    ink, as a vertical column's head is set); in body text, or with display=False (a jump line in a text
    column), the mark keeps its em at the line start."""
    head, _ = compose_heading([Span("“四圈共建”聚合力", "hei", 22)], 400, fixed_metrics, 22)
    kept, _ = compose_heading([Span("“四圈共建”聚合力", "hei", 22)], 400, fixed_metrics, 22, display=False)
    assert head[0].runs[0].x == pytest.approx(-11) and kept[0].runs[0].x == pytest.approx(0)
    assert kept[0].width - head[0].width == pytest.approx(11)
    body, _ = lines_of("“四圈共建”聚合力", fixed_metrics, indent=0.0)
    assert body[0].runs[0].x == pytest.approx(0)
