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
    second = line(row([(c, 1, 0) for c in "通讯员欧阳云艳芳）独具特色"], y=113.5))
    last = line(row([(c, 1, 0) for c in "的妇女微家"], y=127.0))

    def audit_lines(first):
        out = []
        _check_text_lines([line(first), second, last], "b", src, None, out, indent=0.0)
        return out

    loose = row([(c, 1, 5 / 7) for c in "本报讯（记者林晓"])          # 8 em spread over the 13-em measure
    assert any("byline line spaced loosely" in p for p in audit_lines(loose))
    flush = row([(c, 1, 0) for c in "本报讯（记者"] + [("林", 1, 0), ("晓", 1, 0)])
    assert audit_lines(flush) == []
    spaced_short = row([(c, 1, 0.1) for c in "本报讯（记者林晓"])
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
