"""clreq's rules and examples, and the CJK cases of Typst's test suite, as composer unit tests.

Sources: W3C clreq (section ids in brackets) and Typst's tests/suite/layout/inline/{cjk,justify,linebreak}.typ
as transcribed in the research notes. TYPOGRAPHY.md is the contract: where Typst (or an optional clreq level)
expects something else, the test follows TYPOGRAPHY.md and its docstring says so.

Everything is set on fixed metrics (tests/conftest.py): wide characters and Chinese marks 1 em, Latin letters
and digits ½ em, the em dash stretched to 1 em. Text size is 小五, EM = 9 pt; measures are given in em.
Typst's tests run at 10 em per line with Noto CJK, so its line breaks are golden outputs only where no Latin text
or unjustified first-fit decides them.
"""
import pytest

from layout.text import classes as C
from layout.text.compose import compose_paragraph
from layout.text.segment import Span, atomize

EM = 9.0
TOL = 0.01  # pt: how exactly a justified line meets its measure
RIGHT_BLANK = C.CLOSING | C.PAUSE | C.STOP


# -- helpers -----------------------------------------------------------------------------------------------------

def approx(value):
    """Positions are compared in em to within 0.0009 pt (runs store x to 4 decimals of a point)."""
    return pytest.approx(value, abs=1e-4)


def compose(text, metrics, width_em, indent=0, justify=True, spans=None):
    """Lines of one paragraph (no indent unless asked) at a measure of width_em ems."""
    spans = spans or [Span(text, "song", EM)]
    lines, missing = compose_paragraph(spans, width_em * EM, metrics, EM, indent=indent, justify=justify)
    assert not missing
    return lines


def texts(lines):
    return [line.text for line in lines]


def glyphs(line):
    """(x in em, char) of every glyph on a set line, read back from its runs."""
    out = []
    for r in line.runs:
        x = r.x
        for ch in r.text:
            adv = EM if (C.is_wide(ch) or C.char_class(ch) in C.PUNCT_CLASSES) else EM / 2
            out.append((x / EM, ch))
            x += adv + r.tracking
    return out


def xs(line, ch, nth=0):
    """x (em) of the nth occurrence of ch on the line."""
    return [x for x, c in glyphs(line) if c == ch][nth]


def advance(ch):
    return 1.0 if (C.is_wide(ch) or C.char_class(ch) in C.PUNCT_CLASSES) else 0.5


def ink_right(line):
    """Where the ink of the line's last glyph ends (em): a mark's blank half does not count."""
    x, ch = glyphs(line)[-1]
    if ch in RIGHT_BLANK:
        return x + 0.5
    if ch in C.INTERPUNCT:
        return x + 0.75
    return x + advance(ch)


def ink_left(line):
    x, ch = glyphs(line)[0]
    return x + 0.5 if ch in C.OPENING else x


def assert_set_to_measure(lines, width_em):
    """Every line but the last is exactly the measure (its width and its ink); no line sticks out (no hanging)."""
    for line in lines[:-1]:
        assert abs(line.width - width_em * EM) <= TOL, (line.text, line.width / EM)
        assert abs(ink_right(line) - width_em) * EM <= TOL, (line.text, ink_right(line))
    for line in lines:
        assert ink_right(line) * EM <= width_em * EM + TOL, line.text
        assert ink_left(line) >= -TOL / EM, line.text


def assert_prohibitions(lines):
    """clreq basic level: nothing of NO_START opens a line, nothing of NO_END closes one."""
    for line in lines[1:]:
        assert line.text[0] not in C.NO_START, texts(lines)
    for line in lines[:-1]:
        assert line.text[-1] not in C.NO_END, texts(lines)


def assert_units_whole(lines, text):
    """No number or Latin word is split across lines (GB/T 15835; clreq §3.2.4): two lines meet inside a run of
    letters and digits only where the source has a space."""
    for prev, nxt in zip(lines, lines[1:]):
        a, b = prev.text[-1], nxt.text[0]
        if C.is_word_char(C.char_class(a)) and C.is_word_char(C.char_class(b)):
            assert prev.text.split()[-1] + " " + nxt.text.split()[0] in text, (prev.text, nxt.text)


def pair_atoms(text, metrics):
    """The atoms of text (no indent), in order: (char, width in em, blank removed on its left in em)."""
    atoms, _, _ = atomize([Span(text, "song", EM)], metrics)
    return [(a.ch, round(a.width / EM, 6), round(a.lcut / EM, 6)) for a in atoms]


def atom(text, metrics, ch, nth=0):
    """(width, left cut) in em of the nth ch in text after pair compression."""
    return [(w, cut) for c, w, cut in pair_atoms(text, metrics) if c == ch][nth]


def han_set_solid(line):
    """True when no letter-spacing was added: consecutive Han characters stand exactly 1 em apart."""
    g = glyphs(line)
    return all(abs(x1 - x0 - 1) < 1e-4 for (x0, a), (x1, b) in zip(g, g[1:])
               if C.char_class(a) == C.HAN and C.char_class(b) == C.HAN)


# -- Typst: tests/suite/layout/inline/cjk.typ -----------------------------------------------------------------

BASIC = ("是美国广播公司电视剧《迷失》第3季的第22和23集，也是全剧的第71集和72集"
         "由执行制作人戴蒙·林道夫和卡尔顿·库斯编剧，导演则是另一名执行制作人杰克·本德"
         "节目于2007年5月23日在美国和加拿大首播，共计吸引了1400万美国观众收看"
         "本集加上插播广告一共也持续有两个小时")


def test_typst_text_chinese_basic(fixed_metrics):
    """Typst `text-chinese-basic` (10 em): numbers stay whole, ¼ em around digits, 《 may start a line.

    Typst joins its four source lines with spaces (lang en); a Chinese paragraph has none, so they are dropped.
    The first two lines match Typst's reference. From line 3 on ours differ: Typst is first-fit and unjustified
    and pushes 第 down, while TYPOGRAPHY.md compresses the ，first (先挤进), so `和23集，也是全剧的第` holds it."""
    lines = compose(BASIC, fixed_metrics, 10)
    got = texts(lines)
    assert got[:3] == ["是美国广播公司电视剧", "《迷失》第3季的第22", "和23集，也是全剧的第"]
    assert_units_whole(lines, BASIC)
    joined = "\n".join(got)
    for unit in ("22", "71", "72", "2007", "1400"):
        assert unit in joined
    line = lines[1]   # 《迷失》第3季的第22: the line-start 《 gives up its whole leading half em (never a part
    assert xs(line, "《") == approx(-0.5)              # of it: its ink would stand off the edge), 》 keeps its em,
    assert xs(line, "第") - xs(line, "》") == approx(1)  # and the quarter em left over widens the Han–digit gaps
    assert xs(line, "3") - (xs(line, "第") + 1) == approx(1 / 3)
    assert xs(line, "季") - (xs(line, "3") + 0.5) == approx(1 / 3)
    assert ink_right(line) == approx(10)               # no ¼ em after the final 22
    line = lines[2]   # 和23集，…第: the comma is squeezed to ½ em to keep 第
    assert xs(line, "也") - xs(line, "，") == approx(0.5)
    assert_set_to_measure(lines, 10)
    assert_prohibitions(lines)


@pytest.mark.parametrize("latin", [("12", "1"), ("ab", "a")])
def test_typst_text_cjk_latin_spacing(fixed_metrics, latin):
    """Typst `text-cjk-latin-spacing` (5 em, justified, zh): breaks `中文，中12` / `文1中，文` / `12中文`.

    Line 1 is 5¼ em and fits by shrinking; TYPOGRAPHY.md reduces `，` (priority 5) before Han–Latin spacing
    (priority 6), so the comma takes the whole quarter and the gap before 12 stays ¼ em (Typst shrinks both
    in proportion). The gap before the `文` that starts line 2 is gone."""
    two, one = latin
    lines = compose(f"中文，中{two}文{one}中，文{two}中文", fixed_metrics, 5)
    assert texts(lines) == [f"中文，中{two}", f"文{one}中，文", f"{two}中文"]
    first, second, third = lines
    assert xs(first, "中", 1) - xs(first, "，") == approx(0.75)
    assert xs(first, two[0]) - (xs(first, "中", 1) + 1) == approx(0.25)
    assert glyphs(second)[0] == (0, "文")
    assert xs(second, one) == approx(1.25)
    assert xs(second, "中") == approx(2.0)
    assert xs(third, "中") == approx(1.25) and third.width / EM == approx(3.25)
    assert_set_to_measure(lines, 5)


def test_typst_cjk_punctuation_adjustment_1_gb(fixed_metrics):
    """Typst `cjk-punctuation-adjustment-1`, zh-CN: in `》！？` the blanks between the marks are squeezed.

    `》！` and `！？` each lose the first mark's right half (GB: ！？ are left-aligned), and `？` at the end of the
    line is half width. The zh-TW/CNS variant (centred marks, no squeeze) is out of scope: mainland style only."""
    lines = compose("原来，你也玩《原神》！？", fixed_metrics, 13)
    assert texts(lines) == ["原来，你也玩《原神》！？"]
    line = lines[0]
    assert xs(line, "！") - xs(line, "》") == approx(0.5)
    assert xs(line, "？") - xs(line, "！") == approx(0.5)
    assert line.width / EM == approx(10.5)


def test_typst_cjk_punctuation_adjustment_1_question_before_quote(fixed_metrics):
    """Typst `cjk-punctuation-adjustment-1`, `「真的吗？」` zh-CN: `？」` is compressed, the `？` losing its blank."""
    assert atom("「真的吗？」他问", fixed_metrics, "？") == (0.5, 0.0)
    line = compose("「真的吗？」他问", fixed_metrics, 13)[0]
    assert xs(line, "」") - xs(line, "？") == approx(0.5)
    assert xs(line, "他") - xs(line, "？") == approx(1.5)


@pytest.mark.parametrize("text, first, second", [("《书名〈章节〉》", "〉", "》"), ("〔茸毛〕：很细的毛", "〕", "：")])
def test_typst_cjk_punctuation_adjustment_2(fixed_metrics, text, first, second):
    """Typst `cjk-punctuation-adjustment-2`: closing+closing (`〉》`) and closing+colon (`〕：`) are squeezed:
    the closing mark loses its right half, the pair is 1.5 em mid-line."""
    assert atom(text, fixed_metrics, first) == (0.5, 0.0)
    line = compose(text + "了", fixed_metrics, 20)[0]
    assert xs(line, second) - xs(line, first) == approx(0.5)
    after = glyphs(line)[[c for _, c in glyphs(line)].index(second) + 1][0]
    assert after - xs(line, first) == approx(1.5)


@pytest.mark.parametrize("text, width", [
    ("（〔中〕医、〔中〕药、技）系列评审", 16.0),
    ("【爱因斯坦（Albert Einstein）】物理学家", 18.0 + 5 / 6),
    ("〔（2009）民申字第1622号〕", 12.5),
])
def test_typst_cjk_punctuation_adjustment_3_single_lines(fixed_metrics, text, width):
    """Typst `cjk-punctuation-adjustment-3` (19 em): these paragraphs fit one line, every adjacent pair at 1.5 em
    (`（〔` `〕医`… `、〔` `）】` `〔（`), no Han–Latin space next to brackets, the final mark half width."""
    lines = compose(text, fixed_metrics, 19)
    assert texts(lines) == [text]
    assert lines[0].width / EM == approx(width)


def test_typst_cjk_punctuation_adjustment_3_nested_brackets(fixed_metrics):
    """Typst `cjk-punctuation-adjustment-3`: which mark of a pair gives up its blank.

    Opening+opening: the second loses its left half (`（〔`, `〔（`, `（［`); closing+anything: the closing mark
    loses its right half (`〕医` no, `）】`, `］）`, `）（`); pause+opening: the pause mark (`、〔`)."""
    assert [(w, cut) for _, w, cut in pair_atoms("（〔中〕医、〔中〕药", fixed_metrics)] == [
        (1.0, 0.0), (0.5, 0.5), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0), (0.5, 0.0), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0),
        (1.0, 0.0)]
    assert pair_atoms("（长［江］）（G", fixed_metrics)[2:7] == [
        ("［", 1.0, 0.0), ("江", 1.0, 0.0), ("］", 0.5, 0.0), ("）", 0.5, 0.0), ("（", 1.0, 0.0)]
    assert pair_atoms("〔（2", fixed_metrics)[:2] == [("〔", 1.0, 0.0), ("（", 0.5, 0.5)]
    assert pair_atoms("（A）】物", fixed_metrics)[2:4] == [("）", 0.5, 0.0), ("】", 1.0, 0.0)]


def test_typst_cjk_punctuation_adjustment_3_breaks(fixed_metrics):
    """Typst `cjk-punctuation-adjustment-3` (19 em), the paragraphs that break.

    `“江南…扉。”（［唐］` / `刘长卿…》）` matches Typst: the line-start “ and the （ give up their blanks.
    `参看1378页〖象形文字〗。（《现代汉语词典》` / `修订本）`: Typst (first-fit, unjustified) stops at 词; here
    the brackets are squeezed to fit 典》 (先挤进). `（长三角…）（GB/T 16159—2012` / `《…》）`: Typst breaks
    after the em dash (UAX #14 B2); that break is legal here too, but the dash never starts a line."""
    cases = {
        "“江南海北长相忆，浅水深山独掩扉。”（［唐］刘长卿《会赦后酬主簿所问》）":
            ["“江南海北长相忆，浅水深山独掩扉。”（［唐］", "刘长卿《会赦后酬主簿所问》）"],
        "参看1378页〖象形文字〗。（《现代汉语词典》修订本）":
            ["参看1378页〖象形文字〗。（《现代汉语词典》", "修订本）"],
        "（长三角［长江三角洲］）（GB/T 16159—2012《汉语拼音正词法基本规则》）":
            ["（长三角［长江三角洲］）（GB/T 16159—2012", "《汉语拼音正词法基本规则》）"],
    }
    for text, expected in cases.items():
        lines = compose(text, fixed_metrics, 19)
        assert texts(lines) == expected
        assert_set_to_measure(lines, 19)
        assert_prohibitions(lines)
    line = compose("“江南海北长相忆，浅水深山独掩扉。”（［唐］刘长卿", fixed_metrics, 19)[0]
    assert ink_left(line) == approx(0)                 # the opening “ gave up its leading half em
    assert xs(line, "”") - xs(line, "。") == approx(0.5)


def test_typst_issue_2538_latin_to_han_spacing_before_line_end(fixed_metrics):
    """Typst `issue-2538-cjk-latin-spacing-before-linebreak`: `abc字` puts ¼ em before 字 and nothing after it."""
    line = compose("abc字", fixed_metrics, 10)[0]
    assert xs(line, "字") == approx(1.75)
    assert line.width / EM == approx(2.75)


@pytest.mark.parametrize("text", ["丙国 T国", "丁国T国"])
def test_typst_issue_6539_no_spacing_left_at_break(fixed_metrics, text):
    """Typst `issue-6539-cjk-latin-spacing-at-manual-linebreak` (2.3 em): 国 ends flush at the right edge, no
    Han–Latin space or word space is left at the break; `T国` keeps its inner ¼ em."""
    lines = compose(text, fixed_metrics, 2.3)
    assert texts(lines) == ["丙国" if "丙" in text else "丁国", "T国"]
    assert ink_right(lines[0]) == approx(2.3)
    assert xs(lines[1], "国") == approx(0.75)


def test_typst_issue_2650_spacing_across_span_boundaries(fixed_metrics):
    """Typst `issue-2650-cjk-latin-spacing-meta`: `测a试` set as one span or split into three spans (our
    analogue of metadata between glyphs) gets the same ¼ em on both sides of `a`."""
    whole = compose("测a试", fixed_metrics, 10)[0]
    split = compose(None, fixed_metrics, 10, spans=[Span(c, "song", EM) for c in "测a试"])[0]
    assert glyphs(whole) == glyphs(split)
    assert xs(whole, "a") == approx(1.25) and xs(whole, "试") == approx(2.0)


# -- Typst: justify.typ and linebreak.typ -------------------------------------------------------------------------

WIKI = ("中文维基百科使用汉字书写，汉字是汉族或华人的共同文字，是中国大陆、新加坡、马来西亚、台湾、香港、澳门的唯一官方"
        "文字或官方文字之一。25.9%，而美国和荷兰则分別占13.7%及8.2%。近年來，中国大陆地区的维基百科编辑者正在迅速增加；")


def test_typst_justify_chinese(fixed_metrics):
    """Typst `justify-chinese` (8 em, justified): lines fill the measure, no hanging punctuation, numbers whole.

    The first three lines match Typst. Typst pushes 陆 down (`文字，是中国大` spread over 6 gaps) because `、`
    may not start a line; TYPOGRAPHY.md squeezes the ，first (先挤进, clreq #prohibition_rules_for_line_start_end)
    and `、` at the line end is half width, so `文字，是中国大陆、` fills the 8 em without letter-spacing."""
    lines = compose(WIKI, fixed_metrics, 8)
    got = texts(lines)
    assert got[:5] == ["中文维基百科使用", "汉字书写，汉字是", "汉族或华人的共同", "文字，是中国大陆、", "新加坡、马来西亚、"]
    line = lines[3]
    assert xs(line, "是") - xs(line, "，") == approx(0.5)
    assert han_set_solid(line)
    joined = "\n".join(got)
    for unit in ("25.9%", "13.7%", "8.2%"):
        assert unit in joined
    number_line = next(l for l in lines if "25.9%" in l.text)
    assert glyphs(number_line)[0] == (0, "2")             # no space left over from 。 on the line above
    tail = next(l for l in lines if "及8.2%" in l.text)
    assert xs(tail, "8") - (xs(tail, "及") + 1) >= 0.25 - 1e-6
    letter_spacing = xs(tail, "近") - xs(tail, "。") - 1                 # the even spread of this line
    assert xs(tail, "。") - (xs(tail, "%") + 0.5) == approx(letter_spacing)  # %。 gets no ¼ em, only the spread
    assert_units_whole(lines, WIKI)
    assert_set_to_measure(lines, 8)
    assert_prohibitions(lines)


def test_typst_justify_whitespace_adjustment(fixed_metrics):
    """Typst `justify-whitespace-adjustment` (8 em).

    `“引号测试”，还，` fits one line: `”，` is 1.5 em and the final ，half width (8 em exactly; Typst also cuts
    the line-start “, which TYPOGRAPHY.md only allows). `《书名》《测试》下一行` breaks `…》下` / `一行`
    with `》《` at 1.5 em, the first line squeezed to exactly 8 em. `《书名》《测试》。` is one 7.5 em line."""
    line, = compose("“引号测试”，还，", fixed_metrics, 8)
    assert line.width / EM == approx(8) and xs(line, "，") - xs(line, "”") == approx(0.5)
    lines = compose("《书名》《测试》下一行", fixed_metrics, 8)
    assert texts(lines) == ["《书名》《测试》下", "一行"]
    assert atom("《书名》《测试》下一行", fixed_metrics, "》") == (0.5, 0.0)
    assert atom("《书名》《测试》下一行", fixed_metrics, "《", 1) == (1.0, 0.0)
    assert_set_to_measure(lines, 8)
    line, = compose("《书名》《测试》。", fixed_metrics, 8)
    assert line.width / EM == approx(7.5)
    assert xs(line, "《", 1) - xs(line, "》") == approx(0.5)


def test_typst_justify_whitespace_adjustment_nested_quotes(fixed_metrics):
    """Typst `justify-whitespace-adjustment`, `「『引号』」。“‘引号’”。` (clreq #h-adjustment_of_adjacent_
    punctuation_marks, legacy rules 5 and 6): `「『` and `“‘` lose the inner mark's left half, `』」` and `’”`
    the first mark's right half; in `』」。“` each of the three pairs loses ½ em."""
    line, = compose("「『引号』」。“‘引号’”。", fixed_metrics, 20)
    x = dict((c, v) for v, c in reversed(glyphs(line)))
    assert x["引"] - x["「"] == approx(1.5)
    assert x["“"] - x["』"] == approx(1.5)        # 』」。“: three pairs, each losing ½ em
    assert x["”"] - x["’"] == approx(0.5) and x["’"] - x["‘"] == approx(3.0)
    assert line.width / EM == approx(10.0)


def test_typst_justify_variants_gb(fixed_metrics):
    """Typst `justify-variants`, GB paragraph (17 em). Line 1 matches Typst (the three bracket blanks
    left after `》：` squeezed by ⅓ em each).

    After it, as Typst, `“有孔雀。”…记载，` / `岭南：…毛皆`: the line-start “ gives up its whole leading half em
    first (先挤进, never a part of it), which lets `载，` stay on the line."""
    text = ("孔雀最早见于《山海经》中的《海内经》：“有孔雀。”东汉杨孚著《异物志》记载，岭南：“孔雀，其大如大雁而足高，"
            "毛皆有斑纹彩，捕而蓄之，拍手即舞。”")
    lines = compose(text, fixed_metrics, 17)
    assert texts(lines) == ["孔雀最早见于《山海经》中的《海内经》：", "“有孔雀。”东汉杨孚著《异物志》记载，",
                            "岭南：“孔雀，其大如大雁而足高，毛皆", "有斑纹彩，捕而蓄之，拍手即舞。”"]
    assert xs(lines[1], "“") == approx(-0.5)
    first = lines[0]
    assert xs(first, "山") - xs(first, "于") == approx(1 + 2 / 3)     # `》：` already lost ½ em
    assert_set_to_measure(lines, 17)
    assert_prohibitions(lines)


PUNCT_ADJ = ("标注在字间的标点符号（乙式括号省略号以外）通常占一个汉字宽度，使其易于识别、适合配置及排版，有些排版风格完全不对"
             "标点宽度进行任何调整。但是为了让文字体裁更加紧凑易读，，，以及执行3.1.4 行首行尾禁则时，就需要对标点符号的"
             "宽度进行调整。是否调整取决于……")


def test_typst_justify_punctuation_adjustment(fixed_metrics):
    """Typst `justify-punctuation-adjustment` (11 em): `（` may not end a line, so line 1 is ten characters spread;
    `，，，` is 2 em mid-line; `……` stays whole. Lines 1–7 match Typst; Typst sets `…易读，，，以及` /
    `执行3.1.4 …`, here the three commas' blanks let 执 stay on the line."""
    lines = compose(PUNCT_ADJ, fixed_metrics, 11)
    assert texts(lines) == ["标注在字间的标点符号", "（乙式括号省略号以外）", "通常占一个汉字宽度，使", "其易于识别、适合配置及",
                            "排版，有些排版风格完全", "不对标点宽度进行任何调", "整。但是为了让文字体裁",
                            "更加紧凑易读，，，以及执", "行3.1.4 行首行尾禁则", "时，就需要对标点符号的",
                            "宽度进行调整。是否调整", "取决于……"]
    commas = [x for x, c in glyphs(lines[7]) if c == "，"]
    assert [b - a for a, b in zip(commas, commas[1:])] == approx([0.5, 0.5])
    assert xs(lines[7], "以") - commas[-1] == approx(1.0)
    assert_set_to_measure(lines, 11)
    assert_prohibitions(lines)


@pytest.mark.parametrize("justify", [True, False])
def test_typst_issue_3082_opening_bracket_never_ends_a_line(fixed_metrics, justify):
    """Typst `issue-3082-chinese-punctuation` (21 em, unjustified in Typst): `（` never ends a line and no line is
    wider than the measure, justified or not.

    Typst pushes `良，` down (20 glyphs); TYPOGRAPHY.md squeezes the inner ，first (先挤进), so line 1 keeps
    `良，` in 21 em."""
    text = "課有手冬，朱得過已誰卜服見以大您即乙太邊良，因且行肉因和拉幸，念姐遠米巴急（abc0），松黃貫誰。"
    lines = compose(text, fixed_metrics, 21, justify=justify)
    assert texts(lines)[0] == "課有手冬，朱得過已誰卜服見以大您即乙太邊良，"
    assert "（abc0）" in texts(lines)[1]
    assert_prohibitions(lines)
    assert_units_whole(lines, text)
    for line in lines:
        assert line.width <= 21 * EM + TOL, line.text
    if justify:
        assert_set_to_measure(lines, 21)


# -- clreq: line start and line end ---------------------------------------------------------------------------

NO_START_MARKS = "、，。．：；！？”’」』）］｝】〗〕》〉～–—·・‧/／"


@pytest.mark.parametrize("mark", list(NO_START_MARKS))
def test_clreq_mark_never_starts_a_line(fixed_metrics, mark):
    """clreq #prohibition_rules_for_line_start_end (basic): the mark that would open line 2 stays on line 1.

    With nothing to squeeze on line 1 the last character goes down with it (后推出), and line 1 is spread."""
    text = "一二三四五六七八九十" + mark + "甲乙丙丁戊"
    lines = compose(text, fixed_metrics, 10)
    assert_prohibitions(lines)
    assert lines[1].text.startswith("十" + mark)
    assert_set_to_measure(lines, 10)


@pytest.mark.parametrize("mark", list("“‘「『（［｛【〖〔《〈") + ["￥", "¥", "$", "＄"])
def test_clreq_mark_never_ends_a_line(fixed_metrics, mark):
    """clreq #prohibition_rules_for_line_start_end (basic): opening marks and number prefixes go down with the
    text they open."""
    after = "十一二三" if mark in C.OPENING else "100元"
    text = "一二三四五六七八九" + mark + after + "甲乙丙"
    lines = compose(text, fixed_metrics, 10)
    assert_prohibitions(lines)
    assert lines[1].text.startswith(mark)
    assert_set_to_measure(lines, 10)


@pytest.mark.parametrize("unit", ["——", "……"])
@pytest.mark.parametrize("before", range(6, 12))
def test_clreq_dash_and_ellipsis_never_split_nor_start_a_line(fixed_metrics, unit, before):
    """clreq #prohibition_rules_for_unbreakable_marks: —— and …… are one 2 em unit.

    clreq's basic level lets a line start with —— or …… (only its strict level forbids it) and Typst breaks
    before —— (UAX #14 B2); TYPOGRAPHY.md forbids both, so the character before the unit goes down with it.
    No letter-spacing inside the unit."""
    text = "一二三四五六七八九十一二"[:before] + unit + "甲乙丙丁戊己"
    lines = compose(text, fixed_metrics, 10)
    for line in lines:
        assert line.text.count(unit[0]) in (0, 2), texts(lines)
        assert not line.text.startswith(unit[0]), texts(lines)
        if unit[0] in line.text:
            assert xs(line, unit[0], 1) - xs(line, unit[0]) == approx(1.0)
    assert_set_to_measure(lines, 10)


@pytest.mark.parametrize("unit", ["37℃", "120‰", "60%", "6.2%", "13.7%", "2,126", "¥199", "$25", "￥199", "＄25",
                                  "60％", "2126", "App", "GDP"])
def test_gbt15835_numbers_and_words_stay_whole(fixed_metrics, unit):
    """TYPOGRAPHY.md #mixed_text (GB/T 15835): a number with its %/‰/℃ suffix or ¥/$ prefix, and a Latin word,
    are never split, at any measure, and take no letter-spacing inside."""
    text = f"据统计今年以来全市共计{unit}左右的数据表明情况良好稳定"
    for width in range(5, 16):
        lines = compose(text, fixed_metrics, width)
        assert any(unit in line.text for line in lines), (width, texts(lines))
        assert_units_whole(lines, text)
        assert_prohibitions(lines)
        assert_set_to_measure(lines, width)
        line = next(l for l in lines if unit in l.text)
        pos = [x for x, c in glyphs(line)]
        k = line.text.index(unit)
        inner = [pos[k + i + 1] - pos[k + i] - advance(unit[i]) for i in range(len(unit) - 1)]
        assert inner == approx([0.0] * len(inner)), (width, line.text)


def test_fullwidth_signs_take_no_han_latin_space(fixed_metrics):
    """TYPOGRAPHY.md #mixed_text: the ¼ em goes between a Han character and a Latin letter or digit, and not next
    to Chinese punctuation. The full-width ￥ ＄ ％ are number signs and ～ a connector, not Han: `￥199`, `60％`
    and `3～5` are set solid, like ¥199 and 60%."""
    line, = compose("3～5天", fixed_metrics, 30)
    assert [x for x, _ in glyphs(line)] == approx([0, 0.5, 1.5, 2.25])
    line, = compose("售价￥199元，占60％以上", fixed_metrics, 30)
    assert xs(line, "1") - xs(line, "￥") == approx(1.0)
    assert xs(line, "％") - xs(line, "0") == approx(0.5)
    assert xs(line, "￥") - xs(line, "价") == approx(1.0)
    assert xs(line, "6") - xs(line, "占") == approx(1.25)     # Han before a digit still gets ¼ em


# -- clreq: punctuation width ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pair, loser", [
    ("。」", "first"), ("」，", "first"), ("，「", "first"), ("」「", "first"), ("「『", "second"), ("』」", "first"),
    ("。”", "first"), ("，“", "first"), ("）、", "first"), ("》，", "first"), ("：“", "first"), ("〉》", "first"),
    ("（〔", "second"), ("〕：", "first"), ("！？", "first"), ("？」", "first"), ("“《", "second"), ("）（", "first"),
])
def test_clreq_adjacent_marks_take_one_and_a_half_em(fixed_metrics, pair, loser):
    """clreq #h-adjustment_of_adjacent_punctuation_marks: two adjacent marks take 1.5 em, not 2. The blank that
    goes is the one between them: the first mark's trailing half, or the second's leading half when the first is
    an opening mark (legacy rules 1–6)."""
    a, b = pair
    w = pair_atoms("甲" + pair + "乙", fixed_metrics)[1:3]
    if loser == "first":
        assert w == [(a, 0.5, 0.0), (b, 1.0, 0.0)]
    else:
        assert w == [(a, 1.0, 0.0), (b, 0.5, 0.5)]
    line, = compose("甲" + pair + "乙", fixed_metrics, 10)
    assert xs(line, "乙") - xs(line, a) == approx(1.5)
    assert line.width / EM == approx(3.5)


def test_clreq_empty_bracket_pair_stays_two_em(fixed_metrics):
    """clreq #h-adjustment_of_adjacent_punctuation_marks: opening+closing (`（）`, `「」`) has no blank between the
    two faces, so nothing is squeezed: 2 em."""
    for pair in ("（）", "「」"):
        line, = compose("甲" + pair + "乙", fixed_metrics, 10)
        assert xs(line, "乙") - xs(line, pair[0]) == approx(2.0)


def test_clreq_three_closing_marks(fixed_metrics):
    """clreq #prohibition_rules_for_line_start_end note (`。』」`): each pair loses ½ em, 2 em mid-line; at the
    line end the last mark is half width too, 1.5 em. None of the three may start a line."""
    line, = compose("甲。』」乙", fixed_metrics, 10)
    assert xs(line, "乙") - xs(line, "。") == approx(2.0)
    lines = compose("一二三四五六七八。』」甲乙丙", fixed_metrics, 9.5)
    assert texts(lines) == ["一二三四五六七八。』」", "甲乙丙"]
    assert ink_right(lines[0]) == approx(9.5) and han_set_solid(lines[0])
    for w in range(5, 12):
        assert_prohibitions(compose("一二三四五六七八。』」甲乙丙", fixed_metrics, w))


@pytest.mark.parametrize("pair", ["·（", "）·", "·“", "”·"])
def test_clreq_interpunct_next_to_bracket(fixed_metrics, pair):
    """clreq #h-adjustment_of_adjacent_punctuation_marks: an interpunct next to a bracket (legacy rules 7, 8);
    TYPOGRAPHY.md: two adjacent marks take 1.5 em. The full-width · keeps its ink centred."""
    line, = compose("甲" + pair + "乙", fixed_metrics, 10)
    assert xs(line, "乙") - xs(line, pair[0]) == approx(1.5)
    assert line.width / EM == approx(3.5)


def test_clreq_stacked_question_and_exclamation(fixed_metrics):
    """clreq §3.1.3.3 sets `?!`/`!?` in 1 em under GB; TYPOGRAPHY.md has no such rule and treats them as any two
    adjacent marks: 1.5 em mid-line (the first loses its blank), 1 em at a line end."""
    line, = compose("甲！？乙", fixed_metrics, 10)
    assert xs(line, "乙") - xs(line, "！") == approx(1.5)
    line, = compose("甲乙？！", fixed_metrics, 10)
    assert line.width / EM == approx(3.0)


@pytest.mark.parametrize("mark", list("，。、；：？！”’」』）》〉】"))
def test_gbt15834_mark_at_line_end_is_half_width(fixed_metrics, mark):
    """TYPOGRAPHY.md #punctuation_width_adjustment (GB/T 15834 §5.1.10): a full-width mark ending a line is set
    half width; 9 characters and the mark fill 9.5 em exactly, with no letter-spacing and no hanging."""
    opener = {"”": "“", "’": "‘", "」": "「", "』": "『", "）": "（", "》": "《", "〉": "〈", "】": "【"}.get(mark, "")
    text = opener + "一二三四五六七八九"[len(opener):] + mark + "甲乙丙丁"
    lines = compose(text, fixed_metrics, 9.5)
    assert lines[0].text == text[:10]
    assert ink_right(lines[0]) == approx(9.5)
    assert lines[0].width / EM == approx(9.5)
    if not opener:
        assert han_set_solid(lines[0])


def test_gbt15834_mark_pair_at_line_end_is_one_em(fixed_metrics):
    """GB/T 15834 §5.1.10 with clreq #h-adjustment_of_adjacent_punctuation_marks: `。”` ending a line is 1 em."""
    lines = compose("“一二三四五六七八。”甲乙丙丁", fixed_metrics, 9.5)
    assert texts(lines)[0] == "“一二三四五六七八。”"
    assert xs(lines[0], "”") - xs(lines[0], "。") == approx(0.5)
    assert ink_right(lines[0]) == approx(9.5)


def test_clreq_interpunct_in_names(fixed_metrics):
    """clreq #tables_of_chinese_punctuation_marks, `“比尔·盖茨”、“Ｂ．盖茨”`: `·` never starts a line and the
    closing-pause-opening run `”、“` takes 2 em (two pairs, each losing ½ em)."""
    text = "“比尔·盖茨”、“Ｂ．盖茨”和戴蒙·林道夫、卡尔顿·库斯编剧"
    line, = compose(text, fixed_metrics, 40)
    assert xs(line, "“", 1) - xs(line, "”") == approx(1.0)
    assert xs(line, "Ｂ") - xs(line, "”") == approx(2.0)
    for w in range(4, 14):
        lines = compose(text, fixed_metrics, w)
        assert_prohibitions(lines)
        assert_set_to_measure(lines, w)


# -- clreq: mixed text ------------------------------------------------------------------------------------------

def test_clreq_quarter_em_around_latin(fixed_metrics):
    """clreq #mixed_text_composition_in_horizontal_writing_mode: `中文ABC中文` has ¼ em on each side of ABC and
    nothing inside the word."""
    line, = compose("中文ABC中文", fixed_metrics, 20)
    assert xs(line, "A") == approx(2.25)
    assert xs(line, "C") - xs(line, "A") == approx(1.0)
    assert xs(line, "中", 1) == approx(2.25 + 1.5 + 0.25)


def test_clreq_no_han_latin_space_at_line_edges(fixed_metrics):
    """clreq #mixed_text_composition_in_horizontal_writing_mode: no ¼ em at a line start or end. A line ending in
    a Latin word ends flush with its last letter; the next line starts flush with its first character."""
    text = "一二三四五六七ABC中文甲乙丙丁DEF"
    lines = compose(text, fixed_metrics, 8.75)
    assert texts(lines) == ["一二三四五六七ABC", "中文甲乙丙丁DEF"]
    assert ink_right(lines[0]) == approx(8.75) and han_set_solid(lines[0])
    assert glyphs(lines[1])[0] == (0, "中")
    lines = compose("甲乙" + "ABC" + "丙丁戊己庚", fixed_metrics, 10, indent=2 * EM)
    assert xs(lines[0], "甲") == approx(2.0)
    lines = compose("ABC丙丁戊己庚", fixed_metrics, 10, indent=2 * EM)
    assert xs(lines[0], "A") == approx(2.0)              # indent then Latin: no extra ¼ em


def test_clreq_no_han_latin_space_next_to_punctuation(fixed_metrics):
    """clreq #mixed_text_composition_in_horizontal_writing_mode (§3.2.4 exceptions; Typst `（abc0），`, `。25.9%`):
    no Han–Latin space between Latin or digits and a Chinese mark."""
    line, = compose("急（abc0），松。25.9%，而", fixed_metrics, 30)
    assert xs(line, "a") - xs(line, "（") == approx(1.0)
    assert xs(line, "）") - xs(line, "0") == approx(0.5)
    assert xs(line, "2") - xs(line, "。") == approx(1.0)
    assert xs(line, "，", 1) - xs(line, "%") == approx(0.5)


# -- clreq: paragraphs ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tail", ["了", "了。", "了”", "好的。", "OK。"])
def test_clreq_no_lone_last_character(fixed_metrics, tail):
    """clreq #orphans (TYPOGRAPHY.md 孤字不成行): the last line holds at least two characters; when it would hold
    one (alone or with its mark) a character comes down from the line above, which is re-justified."""
    text = "一二三四五六七八九十" * 2 + tail
    lines = compose(text, fixed_metrics, 10)
    letters = [ch for ch in lines[-1].text if C.is_letter(C.char_class(ch))]
    assert len(letters) >= 2, texts(lines)
    assert_set_to_measure(lines, 10)
    if tail in ("了", "了。", "了”"):
        assert texts(lines)[-1] == "十" + tail


# -- clreq: justification ---------------------------------------------------------------------------------------

def test_clreq_reduction_latin_space_before_comma(fixed_metrics):
    """clreq #procedures_for_inter-character_spacing_reduction: word spaces (priority 2, down to ¼ em) shrink
    before commas (priority 5). 1/30 em too long: only the space gives; 7/30 em: the space is at ¼ em and the
    comma gives the rest; the Han–Latin gaps stay ¼ em throughout."""
    text = "甲乙ab cd丙，丁戊己庚辛壬"
    line = compose(text, fixed_metrics, 8.8)[0]
    assert line.text == "甲乙ab cd丙，丁戊"
    assert xs(line, "c") - (xs(line, "b") + 0.5) == approx(0.3)
    assert xs(line, "丁") - xs(line, "，") == approx(1.0)
    line = compose(text, fixed_metrics, 8.6)[0]
    assert line.text == "甲乙ab cd丙，丁戊"
    assert xs(line, "c") - (xs(line, "b") + 0.5) == approx(0.25)
    assert xs(line, "丁") - xs(line, "，") == approx(0.85)
    assert xs(line, "a") - (xs(line, "乙") + 1) == approx(0.25)
    assert xs(line, "丙") - (xs(line, "d") + 0.5) == approx(0.25)


def test_clreq_reduction_interpunct_before_brackets(fixed_metrics):
    """clreq #procedures_for_inter-character_spacing_reduction: interpuncts (3) before brackets (4)."""
    line = compose("甲·乙《丙》丁戊己庚辛壬", fixed_metrics, 7.8)[0]
    assert line.text == "甲·乙《丙》丁戊"
    assert xs(line, "乙") - xs(line, "甲") == approx(1.8)
    assert xs(line, "丙") - xs(line, "《") == approx(1.0)
    assert xs(line, "丁") - xs(line, "》") == approx(1.0)


def test_clreq_reduction_brackets_before_comma(fixed_metrics):
    """clreq #procedures_for_inter-character_spacing_reduction: brackets (4), all equally, before commas (5)."""
    line = compose("甲《乙》丙，丁戊己庚辛壬", fixed_metrics, 7.6)[0]
    assert line.text == "甲《乙》丙，丁戊"
    assert xs(line, "乙") - xs(line, "甲") == approx(1.8)
    assert xs(line, "丙") - xs(line, "》") == approx(0.8)
    assert xs(line, "丁") - xs(line, "，") == approx(1.0)


def test_clreq_reduction_han_latin_before_full_stop(fixed_metrics):
    """clreq #procedures_for_inter-character_spacing_reduction: Han–Latin spacing (6, down to ⅛ em) before
    full stops (7)."""
    text = "甲。乙丙A丁己庚辛壬"
    line = compose(text, fixed_metrics, 5.8)[0]
    assert line.text == "甲。乙丙A丁"
    assert xs(line, "乙") - xs(line, "。") == approx(1.0)
    assert xs(line, "A") - (xs(line, "丙") + 1) == approx(0.15)
    line = compose(text, fixed_metrics, 5.6)[0]
    assert xs(line, "A") - (xs(line, "丙") + 1) == approx(0.125)
    assert xs(line, "乙") - xs(line, "。") == approx(0.85)


def test_clreq_reduction_two_commas_equally(fixed_metrics):
    """clreq #procedures_for_inter-character_spacing_reduction: marks of one class shrink together and equally."""
    line = compose("甲，乙丙，丁戊己庚辛壬癸", fixed_metrics, 6.6)[0]
    assert line.text == "甲，乙丙，丁戊"
    assert xs(line, "乙") - xs(line, "，") == approx(0.8)
    assert xs(line, "丁") - xs(line, "，", 1) == approx(0.8)


def test_clreq_expansion_word_space_then_han_latin_then_letter_spacing(fixed_metrics):
    """clreq #procedures_for_inter-character_space_expansion (TYPOGRAPHY.md #line_adjustment): word spaces grow
    first (up to ½ em), then Han–Latin spacing (up to ⅓ em), and only then every gap evenly, never inside a word."""
    text = "甲乙ab cd丙丁子丑寅卯辰"
    line = compose(text, fixed_metrics, 6.9)[0]
    assert line.text == "甲乙ab cd丙丁"
    assert xs(line, "c") - (xs(line, "b") + 0.5) == approx(1 / 3 + 1 / 15)
    assert xs(line, "a") - (xs(line, "乙") + 1) == approx(0.25)
    assert xs(line, "乙") - xs(line, "甲") == approx(1.0)
    line = compose(text, fixed_metrics, 7.1)[0]
    assert line.text == "甲乙ab cd丙丁"
    assert xs(line, "c") - (xs(line, "b") + 0.5) == approx(0.5)
    assert xs(line, "a") - (xs(line, "乙") + 1) == approx(0.3)
    assert xs(line, "丙") - (xs(line, "d") + 0.5) == approx(0.3)
    assert xs(line, "乙") - xs(line, "甲") == approx(1.0)
    line = compose(text, fixed_metrics, 7.4)[0]
    assert line.text == "甲乙ab cd丙丁"
    spread = (7.4 - (6 + 5 / 6 + 1 / 6 + 1 / 6)) / 5          # 5 slots: 甲乙, 乙a, the space, d丙, 丙丁
    assert xs(line, "乙") - xs(line, "甲") == approx(1.0 + spread)
    assert xs(line, "a") - (xs(line, "乙") + 1) == approx(1 / 3 + spread)
    assert xs(line, "b") - xs(line, "a") == approx(0.5)


def test_clreq_spread_never_inside_dash_ellipsis_number_or_word(fixed_metrics):
    """clreq #procedures_for_inter-character_space_expansion: even spacing skips the inside of ——, ……, numbers
    and words; the line still meets the measure."""
    text = "一二——三……四GDP五13.7%六七八九十甲乙丙丁戊己庚辛"
    for width in range(8, 16):
        lines = compose(text, fixed_metrics, width)
        assert_set_to_measure(lines, width)
        for line in lines:
            g = glyphs(line)
            for (x0, a), (x1, b) in zip(g, g[1:]):
                if (a == b and a in "—…") or (a + b in "GDP13.7%"):
                    assert x1 - x0 == approx(advance(a)), (width, line.text, a + b)


ALL_TEXTS = [BASIC, WIKI, PUNCT_ADJ,
             "孔雀最早见于《山海经》中的《海内经》：“有孔雀。”东汉杨孚著《异物志》记载，岭南：“孔雀，其大如大雁而足高，"
             "毛皆有斑纹彩，捕而蓄之，拍手即舞。”",
             "課有手冬，朱得過已誰卜服見以大您即乙太邊良，因且行肉因和拉幸，念姐遠米巴急（abc0），松黃貫誰。",
             "（长三角［长江三角洲］）（GB/T 16159—2012《汉语拼音正词法基本规则》）参看1378页〖象形文字〗。"
             "（《现代汉语词典》修订本）“江南海北长相忆，浅水深山独掩扉。”（［唐］刘长卿《会赦后酬主簿所问》）"]


@pytest.mark.parametrize("k", range(len(ALL_TEXTS)))
def test_clreq_line_adjustment_every_line_fills_the_measure(fixed_metrics, k):
    """clreq #line_adjustment: at every measure from 6 to 21 em, each non-final line is exactly the measure
    (within 0.01 pt), nothing hangs, prohibitions hold and no last line is a lone character."""
    for width in range(6, 22):
        lines = compose(ALL_TEXTS[k], fixed_metrics, width, indent=2 * EM)
        assert_set_to_measure(lines, width)
        assert_prohibitions(lines)
        assert_units_whole(lines, ALL_TEXTS[k])
        letters = [ch for ch in lines[-1].text if C.is_letter(C.char_class(ch))]
        assert len(letters) >= 2, (width, texts(lines))
