"""`layout import`: the plain text of a whole page, as newsroom systems export it, made into a page folder.

The export is one paragraph per line (blank lines between): the section name, then stories — heading
lines (rubric 栏目, kicker 引题, headline 主题, subhead 副题) and a byline run into the first paragraph —,
photo captions followed by their credit (■本报记者 … 摄), and the editors' line (编辑：… 美编：…). Lines
broken mid-sentence at column ends are joined. Stories are found by their bylines; what fits no rule is
kept, in order, in `unplaced.txt`, and said so.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .yamlsrc import SourceError, decode_utf8

#: a byline opening a paragraph: 本报讯（记者 …）, 新华社北京11月30日电（记者 …）, （通讯员 …）
BYLINE = re.compile(r"^((?:本报讯|本报[^\s（(，。]{0,12}电|新华社[^\s（(，。]{0,14}电|[^\s（(，。]{0,8}讯)?"
                    r"[（(][^（）()]{0,40}(?:记者|通讯员|特约|实习生|报道|电|撰稿)[^（）()]{0,40}[）)])")
#: a byline on its own line: 本报记者 张三 李四
BYLINE_LINE = re.compile(r"^(?:本报|特约|实习)?(?:记者|通讯员)[^，。！？：:]{1,40}$")
#: a photo credit: ■本报记者 某某 摄, （某某 摄）, 某某/摄
CREDIT = re.compile(r"^[■□●▲◆（(]?[^。！？]{1,60}(?:摄|供图)[）)]?$")
EDITORS = re.compile(r"^(?:责任编辑|编辑|责编|主编)\s*[：:]")
#: a paragraph ends a sentence with one of these (closing quotes and brackets may follow)
FINAL = "。！？!?…；;：:"
CLOSERS = "”’」』）)》〉】"
HEADING_MAX = 40          # characters: a heading line is short
SHORT_MAX = 8             # a rubric or a section name is a few characters, no punctuation


@dataclass
class RawStory:
    """One story as found in the export."""
    heading: list                              # its heading lines, in order
    byline: str = ""
    paragraphs: list = field(default_factory=list)
    rubric: str = ""
    kicker: str = ""
    headline: str = ""
    subhead: str = ""


@dataclass
class RawPage:
    """What the export held, sorted."""
    section: str = ""
    stories: list = field(default_factory=list)
    captions: list = field(default_factory=list)       # (caption, credit, index of the story it follows)
    credits: str = ""
    unplaced: list = field(default_factory=list)       # (line number, text)


def _ends_sentence(text: str) -> bool:
    text = text.rstrip().rstrip(CLOSERS)
    return bool(text) and text[-1] in FINAL


def _join(a: str, b: str) -> str:
    """Two halves of a paragraph broken at a column end: a space only between two Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _heading_like(text: str) -> bool:
    """Short, and not ending a sentence (a colon ends a kicker; a headline may end in ！ or ？)."""
    t = text.strip()
    exclaims = t.rstrip(CLOSERS).endswith(("！", "？", "!", "?")) and not re.search(r"[，。；,;]", t)
    return (0 < len(t) <= HEADING_MAX and (t.endswith(("：", ":")) or exclaims or not _ends_sentence(t))
            and t[-1] not in "，、,"
            and not BYLINE.match(t) and not EDITORS.match(t) and not CREDIT.match(t))


def _short(text: str) -> bool:
    """A rubric or section name: a few characters without spaces or punctuation (a middle dot allowed)."""
    return len(text) <= SHORT_MAX and not re.search(r"[^\w·・]", text)


def parse_raw(text: str) -> RawPage:
    """Sort the lines of an export into section, stories, captions, editors' line and what is left."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    units = [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    kinds = ["?"] * len(units)
    page = RawPage()
    for i, (_, line) in enumerate(units):
        if EDITORS.match(line):
            kinds[i] = "editors"
            page.credits = (page.credits + " " + line).strip()
        elif CREDIT.match(line):
            kinds[i] = "credit"
    starts = [i for i, (_, line) in enumerate(units) if kinds[i] == "?" and (
        BYLINE.match(line) or BYLINE_LINE.match(line) and i + 1 < len(units) and kinds[i + 1] == "?")]
    # heading groups: the heading-like lines just above each byline
    heads = {}
    for k, b in enumerate(starts):
        floor = starts[k - 1] + 1 if k else 0
        i = b
        while i - 1 >= floor and kinds[i - 1] == "?" and _heading_like(units[i - 1][1]) and b - i < 5:
            i -= 1
        heads[b] = i
        for j in range(i, b):
            kinds[j] = "heading"
    # captions: the paragraph just above a credit
    for c in [i for i, k in enumerate(kinds) if k == "credit"]:
        if c > 0 and kinds[c - 1] == "?" and not (c - 1 in starts or c - 2 in starts and BYLINE_LINE.match(units[c - 2][1])):
            kinds[c - 1] = "caption"
            before = sum(1 for b in starts if b < c) - 1
            page.captions.append((units[c - 1][1], units[c][1], before))
        else:
            page.captions.append(("", units[c][1], sum(1 for b in starts if b < c) - 1))
    # stories: heading, byline, body up to the next heading group
    ends = [heads[b] for b in starts[1:]] + [len(units)]
    for k, b in enumerate(starts):
        lines = [units[j][1] for j in range(heads[b], b)]
        if k == 0 and len(lines) >= 2 and _short(lines[0]) and heads[b] == 0:
            page.section = lines.pop(0)
        story = RawStory(heading=lines)
        first = units[b][1]
        m = BYLINE.match(first)
        if m:
            story.byline, rest = m.group(1), first[m.end():].strip()
            body = [rest] if rest else []
        else:
            story.byline, body = first, []
        kinds[b] = "story"
        taken = [j for j in range(b + 1, ends[k]) if kinds[j] == "?"]
        while taken and _heading_like(units[taken[-1]][1]) and (body or len(taken) > 1):
            taken.pop()      # a short line without a full stop cannot end a story: a page marker, an ad's label …
        for j in taken:
            body.append(units[j][1])
            kinds[j] = "story"
        story.paragraphs = _joined(body)
        _name_heading(story, page)
        page.stories.append(story)
    page.unplaced = [units[i] for i, k in enumerate(kinds) if k in ("?",)]
    return page


def _joined(paragraphs: list) -> list:
    out = []
    for p in paragraphs:
        if out and not _ends_sentence(out[-1]):
            out[-1] = _join(out[-1], p)
        else:
            out.append(p)
    return out


def _name_heading(story: RawStory, page: RawPage) -> None:
    """Rubric, kicker, headline, subhead from the heading lines (a kicker ends with a colon or a dash)."""
    g = list(story.heading)
    if len(g) >= 2 and _short(g[0]) and (len(g) >= 3 or g[1].endswith(("：", ":", "——"))):
        story.rubric = g.pop(0)
    if len(g) > 3:     # more than kicker, headline, subhead: the headline took several lines
        story.kicker, story.subhead = g[0], g[-1]
        story.headline = "".join(g[1:-1])
        return
    if len(g) == 3:
        story.kicker, story.headline, story.subhead = g
    elif len(g) == 2:
        if g[0].endswith(("：", ":", "——")):
            story.kicker, story.headline = g
        else:
            story.headline, story.subhead = g
    elif g:
        story.headline = g[0]


# --------------------------------------------------------------------------------------- the page folder

def _front(fields: dict) -> str:
    import json
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items() if v]
    return "---\n" + "\n".join(lines) + "\n---\n" if lines else ""


def import_raw(raw_path: Path | str, folder: Path | str | None = None) -> tuple:
    """Write the page folder for an export; (folder, [paths written], message lines)."""
    raw_path = Path(raw_path)
    try:
        text = decode_utf8(raw_path.read_bytes(), raw_path)
    except FileNotFoundError:
        raise SourceError(raw_path, 1, 1, "file not found; give the plain-text export of a page") from None
    except OSError as err:
        raise SourceError(raw_path, 1, 1, f"cannot read: {err.strerror}") from None
    folder = Path(folder) if folder else Path("content") / raw_path.stem
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SourceError(folder, 1, 1, "this folder is not empty; give a new folder with -o (nothing was written)")
    page = parse_raw(text)
    if not page.stories:
        raise SourceError(raw_path, 1, 1, "no story found: stories are recognised by a byline such as "
                                          "本报讯（记者 …） opening a paragraph")
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    written, notes = [], []
    ids = []
    for n, s in enumerate(page.stories, 1):
        sid = f"story-{n}"
        ids.append(sid)
        path = folder / "articles" / f"{sid}.md"
        path.write_text(_front({"rubric": s.rubric, "kicker": s.kicker, "headline": s.headline,
                                "subhead": s.subhead, "byline": s.byline}) + "\n" + "\n\n".join(s.paragraphs) + "\n",
                        encoding="utf-8")
        written.append(path)
    photos = []
    for n, (caption, credit, after) in enumerate(page.captions, 1):
        pid = f"photo-{n}"
        path = folder / "articles" / f"{pid}.md"
        path.write_text(_front({"credit": credit}) + "\n" + caption + "\n", encoding="utf-8")
        written.append(path)
        photos.append((pid, caption, after))
    if page.unplaced:
        path = folder / "unplaced.txt"
        path.write_text("".join(f"{line}\n\n" for _, line in page.unplaced), encoding="utf-8")
        written.append(path)
        notes.append(f"kept {len(page.unplaced)} paragraphs it could not place in {path} "
                     f"(lines {', '.join(str(n) for n, _ in page.unplaced)} of {raw_path})")
    spec, fitted = _write_spec(folder, page, ids, photos)
    written.insert(0, spec)
    if not fitted:
        notes.append(f"the stories need more room than one page: `layout check {folder}` tells which overflow")
    return folder, written, notes


SPEC_HEAD = """{modeline}
# Imported by `layout import` from {source}: {stories} stories, {photos} photo(s).
# Photos are placeholders: put the real pictures in images/ under the same names.
page:
  paper: ""                   # the paper's name (not in the export)
  section: {section}
  folio: ""                   # 版次 (not in the export)
  date: ""                    # the issue date (not in the export)
  credits: {credits}
format:
  trim: [390mm, 545mm]        # 对开 broadsheet
  bleed: 3mm
  margins: {{top: 20mm, bottom: 18mm, inner: 18mm, outer: 18mm}}
grid:
  columns: {columns}
  gutter: 1em
  body: {{font: song, size: 9pt, leading: 13.5pt}}
  header_lines: 6
  footer_lines: 2
fonts:
  song: Noto Serif CJK SC
  hei: Noto Sans CJK SC Bold
  kai: LXGW WenKai
styles:
  headline: {{font: hei, size: 26pt}}
  kicker: {{font: kai, size: 14pt}}
  subhead: {{font: kai, size: 14pt}}
  rubric: {{font: hei, size: 12pt, color: [0, 100, 100, 10]}}
  section: {{font: hei, size: 40pt, color: [0, 100, 100, 10]}}
blocks:
"""
COLUMNS = 8


def _q(text: str) -> str:
    import json
    return json.dumps(text, ensure_ascii=False)


def _write_spec(folder: Path, page: RawPage, ids: list, photos: list) -> tuple:
    """page.yaml with the stories and photos stacked in columns in reading order; (path, everything fits)."""
    from .newpage import _placeholder_photo
    from .schema import modeline
    spec = folder / "page.yaml"
    head = SPEC_HEAD.format(modeline=modeline("page", spec), source="the export", stories=len(ids),
                            photos=len(photos), section=_q(page.section), credits=_q(page.credits),
                            columns=COLUMNS)
    items = []                          # (kind, id) in reading order
    for k, sid in enumerate(ids):
        items.append(("article", sid))
        items += [("photo", pid) for pid, _, after in photos if after == k]
    items = [("photo", pid) for pid, _, after in photos if after < 0] + items
    captions = {pid: caption for pid, caption, _ in photos}
    widths = (2, 3, 4)

    def photo_lines(pid, w):
        picture = round(w * 13 * 9 * 0.7 / 13.5)
        return picture + -(-len(captions[pid]) // (w * 13 - 1)) + 2

    heights, lines = _story_heights(folder, head, ids, widths)
    for pid, _ in [(i, None) for kind, i in items if kind == "photo"]:
        for w in widths:
            heights[(pid, w)] = photo_lines(pid, w)
    best = None
    for parts in _compositions(COLUMNS, widths, len(items)):
        for cuts in itertools.combinations(range(1, len(items)), len(parts) - 1):
            groups = [items[a:b] for a, b in zip((0, *cuts), (*cuts, len(items)))]
            tall = [sum(heights[(i, w)] for _, i in g) + len(g) - 1 for g, w in zip(groups, parts)]
            over = sum(max(0, t - lines) for t in tall)
            score = (over, max(tall) - min(tall))
            if best is None or score < best[0]:
                best = (score, parts, groups)
    (over, _), parts, groups = best
    blocks, col = [], 1
    for w, group in zip(parts, groups):
        line = 1
        for kind, i in group:
            h = heights[(i, w)]
            if kind == "article":
                blocks.append(f"  - id: {i}\n    article: {i}\n    at: [{col}, {line}]\n    size: [{w}, auto]\n")
            else:
                _placeholder_photo(folder / "images" / f"{i}.jpg", w, h)
                blocks.append(f"  - id: {i}\n    photo: images/{i}.jpg\n    caption: {i}\n"
                              f"    at: [{col}, {line}]\n    size: [{w}, {h}]\n")
            line += h + 1
        col += w
    spec.write_text(head + "".join(blocks), encoding="utf-8")
    return spec, over == 0


def _compositions(total: int, widths: tuple, most: int):
    """Ordered ways to split `total` columns into stacks of the given widths, at most `most` stacks."""
    for n in range(1, min(most, total) + 1):
        for parts in itertools.product(widths, repeat=n):
            if sum(parts) == total:
                yield parts


def _story_heights(folder: Path, head: str, ids: list, widths: tuple) -> tuple:
    """{(story id, width): grid lines it needs} measured by the composer, and the page's body lines."""
    from .build import load_articles
    from .grid import make_grid
    from .measure import FontMetrics
    from .place import Page, needed_lines
    from .spec import load_spec
    probe = folder / ".probe.yaml"
    blocks = "".join(f"  - id: {i}-{w}\n    article: {i}\n    at: [1, 1]\n    size: [{w}, auto]\n"
                     for i in ids for w in widths)
    probe.write_text(head + blocks, encoding="utf-8")
    try:
        spec = load_spec(probe)
        grid = make_grid(spec)
        metrics = FontMetrics(spec.catalog(), spec.fonts)
        page, articles = Page(spec, grid, metrics), load_articles(spec)
        heights = {(b.article, b.cols): needed_lines(page, b, articles[b.article]) for b in spec.blocks}
    finally:
        probe.unlink()
    return heights, grid.lines
