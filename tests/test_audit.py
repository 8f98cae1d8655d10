"""The composition audit's rules, each shown to fail on glyphs placed wrongly (and to pass when right)."""
from .audit import (Glyph, Line, Source, _check_line_inside, _check_people, _check_text_lines, _vertical_reading,
                    align)

S = 9.0      # body size


def row(spec, x0=0.0, y=100.0):
    """Glyphs from (char, advance in em, gap after in em) triples, laid left to right."""
    out, x = [], x0
    for ch, adv, gap in spec:
        out.append(Glyph(ch, x, y, S, x + adv * S * 0.9, x + adv * S * 0.1, x + adv * S))
        x += (adv + gap) * S
    return tuple(out)


def line(glyphs, left=0.0, right=13 * S):
    return Line("b", 0, glyphs, left, right)


def problems_inside(glyphs, justified=True):
    out = []
    _check_line_inside(line(glyphs), "b", out, src=None, idx=None, justified=justified)
    return out


def test_han_latin_gap_is_a_quarter_em_and_a_unit_sign_belongs_to_its_number():
    good = row([("增", 1, 0.25), ("8", 0.5, 0), ("5", 0.5, 0), ("%", 0.8, 0.25), ("以", 1, 0)])
    assert problems_inside(good) == []
    tight = row([("增", 1, 0.25), ("8", 0.5, 0), ("5", 0.5, 0), ("%", 0.8, 0), ("以", 1, 0)])
    assert any("Han–Latin gap" in p and "%以" in p for p in problems_inside(tight))


def test_uneven_spacing_between_han_is_found():
    assert problems_inside(row([("一", 1, 0.1), ("二", 1, 0.1), ("三", 1, 0.1)])) == []
    assert any("uneven" in p for p in problems_inside(row([("一", 1, 0.1), ("二", 1, 0.2), ("三", 1, 0)])))


def test_a_narrow_quote_in_chinese_text_is_found():
    narrow = row([("展", 1, 0), ("“", 0.35, 0), ("传", 1, 0), ("承", 1, 0), ("”", 0.35, 0), ("主", 1, 0)])
    found = problems_inside(narrow)
    assert any("“ set" in p for p in found) and any("” set" in p for p in found)
    full = (Glyph("展", 0, 100, S, 8, 1, 9), Glyph("“", 9 + 0.65 * S, 100, S, 18 - 0.5, 18 - 3, 9 + S),
            Glyph("传", 18, 100, S, 26, 19, 27), Glyph("承", 27, 100, S, 35, 28, 36),
            Glyph("”", 36, 100, S, 36 + 3, 36 + 0.5, 36 + 0.35 * S), Glyph("主", 45, 100, S, 53, 46, 54))
    assert problems_inside(full) == []


def test_a_justified_line_short_of_the_measure_is_found():
    glyphs = row([("字", 1, 0)] * 12)                   # 12 em on a 13-em measure
    src = Source("字" * 30, [False] * 30, [False] * 29 + [True], 0, "")
    out = []
    _check_text_lines([line(glyphs), line(row([("字", 1, 0)] * 13, y=113.5))], "b", src, None, out, indent=0.0)
    assert any("not justified (ends -9.00 pt)" in p for p in out)


def test_a_byline_broken_inside_a_title_is_found():
    typed = "本报讯（记者 云艳芳 通讯员 乔羽）"
    chars = "".join(typed.split())
    src = Source(chars + "独具", [False] * (len(chars) + 2), [False] * (len(chars) + 2), len(chars), typed)
    for k, ch in enumerate(chars):
        src.space_after[k] = ch in "者芳员"
    good = [line(row([(c, 1, 0) for c in "本报讯（记者云艳芳"])),
            line(row([(c, 1, 0) for c in "通讯员乔羽）独具"], y=113.5))]
    bad = [line(row([(c, 1, 0) for c in "本报讯（记者云艳芳通"])),
           line(row([(c, 1, 0) for c in "讯员乔羽）独具"], y=113.5))]
    for lines, expect in ((good, []), (bad, ["inside a title or name"])):
        out = []
        _check_people(lines, align(lines, src), src, 0, len(chars), typed, "b", out)
        assert [e for e in expect if not any(e in p for p in out)] == [] and len(out) == len(expect)


def test_vertical_reading_order():
    col = (Glyph("四", 90, 20, 24, 110, 92, 114), Glyph("圈", 90, 44, 24, 110, 92, 114),
           Glyph("1", 60, 20, 24, 70, 62, 72), Glyph("2", 72, 20, 24, 82, 74, 84), Glyph("件", 60, 44, 24, 80, 62, 84))
    assert _vertical_reading([Line("b", 0, col, 0, 120, "vertical")]) == "四圈12件"


def test_a_loose_byline_line_is_found_and_a_flush_left_one_passes():
    """本报讯（记者 林晓 / 通讯员 欧阳云艳芳）on 13 em: the first line justified across the measure is spaced
    5/7 em between characters (found); set flush left at natural spacing, it passes; set short but still
    letter-spaced, or short where it does not end between people, it is found."""
    typed = "本报讯（记者 林晓 通讯员 欧阳云艳芳）"
    chars = "".join(typed.split())
    body = "独具特色的妇女微家"
    n = len(chars)
    src = Source(chars + body, [False] * (n + len(body)), [False] * (n + len(body) - 1) + [True], n, typed)
    for k, ch in enumerate(chars):
        src.space_after[k] = ch in "者晓员"
    second = line(row([(c, 1, 1 if c == "员" else 0) for c in "通讯员欧阳云艳芳）独具特"], y=113.5))    # 员 欧: an em
    last = line(row([(c, 1, 0) for c in "色的妇女微家"], y=127.0))

    def audit_lines(first):
        out = []
        _check_text_lines([line(first), second, last], "b", src, None, out, indent=0.0)
        return out

    # 8 em and the em typed after 记者 spread over the 13-em measure
    loose = row([(c, 1, 4 / 7 + (1 if c == "者" else 0)) for c in "本报讯（记者林晓"])
    assert any("byline line spaced loosely" in p for p in audit_lines(loose))
    flush = row([(c, 1, 1 if c == "者" else 0) for c in "本报讯（记者林晓"])
    assert audit_lines(flush) == []
    spaced_short = row([(c, 1, 0.1 + (1 if c == "者" else 0)) for c in "本报讯（记者林晓"])
    assert any("set short and letter-spaced" in p for p in audit_lines(spaced_short))
    src.space_after[chars.index("晓")] = False                      # 林晓通: not a break between people
    assert any("not justified" in p for p in audit_lines(flush))


def test_an_advertisement_block_is_not_read_as_an_article(tmp_path):
    """A delivered ad holds no article of ours: the audit reads the page's articles and passes it by."""
    from layout.build import build

    from .audit import audit
    from .conftest import ROOT
    spec = ROOT / "tests" / "fixtures" / "pages" / "story-elements" / "page.yaml"
    build(spec, tmp_path / "p.pdf")
    found = audit(tmp_path / "p.pdf", spec)
    assert not any(p.startswith("advert") for p in found)


def element_source(kind, chars, marker=0, cells=None, header=0):
    """A Source of one story element (paragraph 0) of kind `kind`."""
    n = len(chars)
    src = Source(chars, [False] * n, [False] * (n - 1) + [True], 0, "")
    src.kind, src.para, src.marker = [kind] * n, [0] * n, [k < marker for k in range(n)]
    src.cell, src.header = cells or [None] * n, {0: header}
    return src


def element_problems(lines, src):
    out = []
    _check_text_lines(lines, "b", src, None, out, indent=0.0)
    return out


def test_a_list_item_hangs_its_text_in_whole_ems_and_is_justified_but_on_its_last_line():
    """1.场地由街道免费 / 提供；on 11 em: the marker at the edge, the text from 2 em, justified to the right
    edge, its last line from the same indent. Off the whole ems, off its hang, or short: found."""
    src = element_source("item", "1.场地由街道免费提供；", marker=2)

    def item(text_at=2.0, second_at=2.0, spread=2 / 6):
        first = row([("1", 0.5, 0), (".", 0.5, text_at - 1)] + [(c, 1, spread) for c in "场地由街道免费"])
        return [line(first, right=11 * S), line(row([(c, 1, 0) for c in "提供；"], x0=second_at * S, y=113.5),
                                                 right=11 * S)]
    assert element_problems(item(), src) == []
    assert any("hanging indent of whole ems" in p for p in element_problems(item(text_at=1.5, spread=2.5 / 6), src))
    assert any("off its hanging indent" in p for p in element_problems(item(second_at=0.0), src))
    assert any("list item line not justified" in p for p in element_problems(item(spread=0.0), src))


def test_table_cells_are_set_solid_apart_and_aligned_by_column():
    """项目 份数 / 套餐 320 / 面食 45 on 11 em: text cells flush left, numbers flush right, set solid (a
    table cell is not justified to the measure). A cell letter-spaced, cells run together, or a column of
    numbers not aligned right: found."""
    chars = "项目份数套餐320面食45"
    cells = [(0, 0)] * 2 + [(0, 1)] * 2 + [(1, 0)] * 2 + [(1, 1)] * 3 + [(2, 0)] * 2 + [(2, 1)] * 2
    src = element_source("table", chars, cells=cells, header=1)

    def table(spaced=0.0, last_at=90.0, number_at=85.5):
        return [line(row([("项", 1, 0), ("目", 1, 7), ("份", 1, 0), ("数", 1, 0)]), right=11 * S),
                line(row([("套", 1, spaced), ("餐", 1, 0)], y=113.5)
                     + row([(c, 0.5, 0) for c in "320"], x0=number_at, y=113.5), right=11 * S),
                line(row([("面", 1, 0), ("食", 1, 0)], y=127.0) + row([(c, 0.5, 0) for c in "45"], x0=last_at, y=127.0),
                     right=11 * S)]
    assert element_problems(table(), src) == []
    assert any("letter-spaced" in p for p in element_problems(table(spaced=0.2), src))
    assert any("column 2 of numbers not aligned right" in p for p in element_problems(table(last_at=85.5), src))
    assert any("table cells 0.25 em apart" in p for p in element_problems(table(number_at=20.25), src))


def test_a_crosshead_is_centred_in_its_column():
    src = element_source("crosshead", "一碗热饭")
    centred = [line(row([(c, 1, 0) for c in "一碗热饭"], x0=3.5 * S), right=11 * S)]
    assert element_problems(centred, src) == []
    off = [line(row([(c, 1, 0) for c in "一碗热饭"], x0=3 * S), right=11 * S)]
    assert any("crosshead not centred in its column (-4.50 pt)" in p for p in element_problems(off, src))
    src = element_source("crosshead", "“一碗”热饭")
    quoted = [("“", 1, 0), ("一", 1, 0), ("碗", 1, 0), ("”", 0.5, 0), ("热", 1, 0), ("饭", 1, 0)]   # 5 em of ink
    half_box = [line(row(quoted, x0=3 * S - S / 2), right=11 * S)]           # “ in its half box: ink from 3 em
    assert element_problems(half_box, src) == []
    blank_kept = [line(row(quoted, x0=2.75 * S), right=11 * S)]             # centred with the blank: ¼ em off
    assert any("crosshead not centred in its column (+2.25 pt)" in p for p in element_problems(blank_kept, src))
    # a face that draws “ 0.35 em wide (LXGW WenKai) sets it at the right of its half box: read by what follows
    narrow = row([("“", 0.35, 0.15)] + quoted[1:], x0=3 * S)
    assert element_problems([line(narrow, right=11 * S)], src) == []


def test_a_space_typed_between_han_takes_half_an_em_to_an_em():
    """武川县：凝聚群团活力 激发党员动力: the typed space an em, or compressed to no less than half an em."""
    typed = "活力 激发"
    src = Source("活力激发", [False, True, False, False], [False, False, False, True], 0, "")
    for gap, found in ((1.0, False), (0.5, False), (0.0, True), (0.25, True)):
        glyphs = row([("活", 1, 0), ("力", 1, gap), ("激", 1, 0), ("发", 1, 0)])
        out = []
        _check_line_inside(line(glyphs), "b", out, src, [0, 1, 2, 3], justified=False)
        assert any("space between Han" in p for p in out) == found, (typed, gap, out)


def test_a_crosshead_is_never_left_at_the_foot_of_a_column():
    src = element_source("crosshead", "一碗热饭正文")
    src.kind[4:] = ["text", "text"]
    src.para[4:] = [1, 1]
    src.para_end[3] = True
    head = line(row([(c, 1, 0) for c in "一碗热饭"], x0=3.5 * S), right=11 * S)
    for column, found in ((0, False), (1, True)):
        text = Line("b", column, row([(c, 1, 0) for c in "正文"], x0=column * 12 * S, y=113.5), column * 12 * S,
                    column * 12 * S + 11 * S)
        out = element_problems([head, text], src)
        assert any("crosshead left at the foot of a column" in p for p in out) == found, out


def test_table_rows_whose_cells_wrap_are_aligned_cell_by_cell():
    """项目 | 每日份数 | 价格 with 每日份数 wrapped: the row's first line shows 项目 每日 价格, the second 份数;
    read cell by cell, even when the row opens the block (its first line is no stretch of the source)."""
    chars = "项目每日份数价格套餐320"
    cells = [(0, 0)] * 2 + [(0, 1)] * 4 + [(0, 2)] * 2 + [(1, 0)] * 2 + [(1, 1)] * 3
    src = element_source("table", chars, cells=cells, header=1)
    lines = [line(row([(c, 1, 0) for c in "项目每日价格"])), line(row([(c, 1, 0) for c in "份数"], y=113.5)),
             line(row([(c, 1, 0) for c in "套餐320"], y=127.0))]
    assert align(lines, src) == [[0, 1, 2, 3, 6, 7], [4, 5], [8, 9, 10, 11, 12]]


def test_a_wrapped_table_cell_keeps_the_line_start_rule():
    chars = "菜品套餐，荤素"
    src = element_source("table", chars, cells=[(0, 0)] * 2 + [(1, 0)] * 5, header=1)
    head = line(row([(c, 1, 0) for c in "菜品"]))
    good = [head, line(row([(c, 1, 0) for c in "套餐，"], y=113.5)), line(row([(c, 1, 0) for c in "荤素"], y=127.0))]
    assert element_problems(good, src) == []
    bad = [head, line(row([(c, 1, 0) for c in "套餐"], y=113.5)), line(row([(c, 1, 0) for c in "，荤素"], y=127.0))]
    assert any("table cell line starts with '，'" in p for p in element_problems(bad, src))
