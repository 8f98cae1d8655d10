"""Story bodies in a Markdown subset: a body's lines read into typed paragraphs, and warnings for the rest.

The subset (README, "Story bodies"): `## 小标题` crossheads, `**强调**`, list items (`一、` `1.` `1、`
`- ` `* ` `· `), pipe tables and `> ` pull quotes; everything else is plain text as before. Syntax outside
the subset is never printed silently: each use gives a `FILE:LINE: ...` warning saying what was done."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

TEXT, CROSSHEAD, ITEM, TABLE, QUOTE = "text", "crosshead", "item", "table", "quote"
BULLET = "·"


@dataclass(frozen=True)
class Para:
    """One typed paragraph of a story body.

    runs: ((text, strong), ...) of a text, crosshead, item or quote; rows: a table's rows, each a tuple of
    cells, each cell a runs tuple; header: rows above the table's `|---|` line; marker: an item's 一、 1. ·"""
    kind: str
    runs: tuple = ()
    line: int = 0
    marker: str = ""
    rows: tuple = ()
    header: int = 0
    # the file offset of each character of plain(runs) (a table: per row, per cell, of plain(cell));
    marker_at: int = field(default=-1, compare=False)   # file offset of an item's marker (`- `, `1.`, `一、`)
    src: tuple = field(default=(), compare=False)   # the file offset of each character of plain(runs) (-1: not in the file, e.g. a joining space)

    @property
    def text(self) -> str:
        """What the paragraph shows, as plain text (an item with its marker; a table's cells space-separated)."""
        if self.kind == TABLE:
            return " ".join(plain(cell) for row in self.rows for cell in row)
        return self.marker + plain(self.runs)


def plain(runs) -> str:
    return "".join(text for text, _ in runs)


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_QUOTE = re.compile(r"^>[ \t]?(.*)$")
_BULLET = re.compile(r"^[-*+·•][ \t]+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})([.．、)）])(?!\d)[ \t]*(.+)$")
_HAN_NUMBERED = re.compile(r"^([一二三四五六七八九十]{1,3}、)[ \t]*(.+)$")
_TABLE = re.compile(r"^\|.*\|$")
_RULE_ROW = re.compile(r"^\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?$")
_FENCE = re.compile(r"^(```|~~~)")
_THEMATIC = re.compile(r"^([-*_])([ \t]*\1){2,}$")
_NESTED = re.compile(r"^[ \t]{2,}([-*+·•][ \t]|\d{1,3}[.、)][ \t])")
_ESCAPABLE = r"\\`*_{}[]()#+-.!|>~"


def parse_body(body: str, first_line: int = 1, where: str = "", origin=None) -> tuple:
    """Body text -> (typed paragraphs, warnings); `where` is the file named in the warnings, `first_line`
    the file line the body starts on, `origin` the file offset of each character of `body` (default: its
    index). Comments are dropped; line numbers and offsets stay those of the file."""
    origin = list(range(len(body))) if origin is None else list(origin)
    kept, at, last = [], [], 0
    for m in _COMMENT.finditer(body):
        kept.append(body[last:m.start()])
        at += origin[last:m.start()]
        newlines = [origin[m.start() + i] for i, ch in enumerate(m.group(0)) if ch == "\n"]
        kept.append("\n" * len(newlines))
        at += newlines
        last = m.end()
    kept.append(body[last:])
    at += origin[last:]
    body = "".join(kept)
    parser = _Parser(where)
    pos = 0
    for n, line in enumerate(body.split("\n"), first_line):
        parser.feed(n, line, at[pos:pos + len(line)])
        pos += len(line) + 1
    parser.close()
    return tuple(parser.paras), tuple(parser.warnings)


class _Parser:
    """Line by line: the paragraph being gathered (its kind, first line and source lines) and what is done."""

    def __init__(self, where: str):
        self.where = where
        self.paras, self.warnings = [], []
        self.kind, self.start, self.lines, self.marker = None, 0, [], ""
        self.marker_at = -1
        self.fenced = False

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.where}:{line}: {message}")

    def feed(self, n: int, raw: str, at=None) -> None:
        """One source line; `at`: the file offset of each of its characters."""
        at = list(range(len(raw))) if at is None else at
        lead = len(raw) - len(raw.lstrip())
        line = raw.strip()
        at = at[lead:lead + len(line)]
        if not line:
            self.close()
            return
        if _FENCE.match(line):
            self.close()
            self.fenced = not self.fenced
            self.warn(n, "code blocks (```) are not part of the story subset; the fence line is left out and "
                         "the lines inside are set as text")
            return
        if self.fenced:
            self.start_or_join(TEXT, n, line, literal=True, at=at)
            return
        if _THEMATIC.match(line):
            self.close()
            self.warn(n, f"`{line}` (a horizontal rule) is not part of the story subset; left out: use a "
                         f"`## ` subhead or a blank line")
            return
        if _NESTED.match(raw):
            self.warn(n, "nested lists are not part of the story subset; the item is set at the top level")
        m = _HEADING.match(line)
        if m:
            self.close()
            if len(m.group(1)) != 2:
                self.warn(n, f"`{m.group(1)} ` headings are not part of the story subset; set as a `## ` subhead")
            if m.group(2):
                self.start_or_join(CROSSHEAD, n, m.group(2), at=at[m.start(2):m.end(2)])
                self.close()
            else:
                self.warn(n, "an empty subhead; left out")
            return
        m = _QUOTE.match(line)
        if m:
            if self.kind != QUOTE:
                self.close()
            if m.group(1).strip():
                text = m.group(1).strip()
                first = m.start(1) + m.group(1).index(text)
                self.start_or_join(QUOTE, n, text, at=at[first:first + len(text)])
            return
        if _TABLE.match(line):
            if self.kind != TABLE:
                self.close()
            self.start_or_join(TABLE, n, line, at=at)
            return
        item = _item(line)
        if item is not None:
            self.close()
            first = line.rindex(item[1]) if item[1] else len(line)
            self.start_or_join(ITEM, n, item[1], at=at[first:first + len(item[1])])
            self.marker, self.marker_at = item[0], at[0] if at else -1
            return
        if self.kind in (TABLE,):
            self.close()
        if self.kind == QUOTE:          # a lazy continuation line of a quote
            self.start_or_join(QUOTE, n, line, at=at)
            return
        self.start_or_join(self.kind if self.kind in (TEXT, ITEM) else TEXT, n, line, at=at)

    def start_or_join(self, kind: str, n: int, line: str, literal: bool = False, at=None) -> None:
        if self.kind != kind:
            self.close()
            self.kind, self.start = kind, n
        self.lines.append((n, line, literal, [-1] * len(line) if at is None else at))

    def close(self) -> None:
        kind, lines = self.kind, self.lines
        marker, marker_at = self.marker, self.marker_at
        self.kind, self.lines, self.marker, self.marker_at = None, [], "", -1
        if not lines:
            return
        if kind == TABLE:
            self.paras.append(self.table(lines))
            return
        runs, src = self.inline(lines)
        if kind == ITEM and not plain(runs).strip():
            runs, src = (), ()
        self.paras.append(Para(kind, runs, self.start, marker=marker, src=src,
                               marker_at=marker_at if kind == ITEM else -1))

    def table(self, lines) -> Para:
        rows, header, width = [], 0, None
        rows_src = []
        for n, line, _, at in lines:
            if _RULE_ROW.match(line):
                if rows and not header:
                    header = len(rows)
                else:
                    self.warn(n, "a `|---|` line belongs under the table's first row; this one is left out")
                continue
            read = []
            for start, end in _cell_ranges(line):
                raw = line[start:end]
                first = start + len(raw) - len(raw.lstrip())
                text = raw.strip()
                read.append(self.inline([(n, text, False, at[first:first + len(text)])]))
            row = tuple(tuple(runs) for runs, _ in read)
            src = [s for _, s in read]
            if width is None:
                width = len(row)
            elif len(row) != width:
                self.warn(n, f"this table row has {len(row)} cells, the first row {width}; "
                             f"{'empty cells added' if len(row) < width else 'the extra cells are joined to the last'}")
                if len(row) < width:
                    row = row + ((),) * (width - len(row))
                    src += [()] * (width - len(src))
                else:
                    joined = [r for cell in row[width - 1:] for r in ((" ", False), *cell)][1:]
                    row = row[:width - 1] + (_merge(joined),)
                    src = src[:width - 1] + [tuple(o for k, s in enumerate(src[width - 1:])
                                                   for o in ((-1,) if k else ()) + tuple(s))]
            rows.append(row)
            rows_src.append(tuple(src))
        return Para(TABLE, (), lines[0][0], rows=tuple(rows), header=header, src=tuple(rows_src))

    def inline(self, lines) -> tuple:
        """Join a paragraph's lines (a space only between two Latin characters) and read **strong** runs:
        (runs, the file offset of each character of plain(runs))."""
        runs: list = []
        src: list = []
        prev = ""
        for n, line, literal, at in lines:
            at = [-1] * len(line) if at is None else at
            if literal:
                parts, offsets = [(line, False)], list(at)
            else:
                parts, offsets = self.spans(n, line, at)
            text = plain(parts)
            if prev and text and prev[-1].isascii() and prev[-1].isalnum() and text[0].isascii() and text[0].isalnum():
                runs.append((" ", runs[-1][1] if runs else False))
                src.append(-1)
            runs.extend(parts)
            src += offsets
            if text:
                prev = text
        return _merge(runs), tuple(src)

    def spans(self, n: int, line: str, at=None) -> tuple:
        """One source line -> ([(text, strong)], the file offset of each character set): **…** strong;
        \\* escapes; italics, code, links and images (outside the subset) warned and set as plain text."""
        at = list(range(len(line))) if at is None else at
        if not _MARKUP.search(line):          # most lines: no character below can start anything
            return ([(line, False)] if line else []), list(at[:len(line)])
        out, buf, strong, k = [], [], False, 0
        offsets = []              # parallel to the characters of buf, then of out
        opened = None

        def take(start: int, end: int) -> None:
            buf.append(line[start:end])
            offsets.extend(at[start:end])
        while k < len(line):
            ch = line[k]
            if ch == "\\" and k + 1 < len(line) and line[k + 1] in _ESCAPABLE:
                take(k + 1, k + 2)
                k += 2
                continue
            if line.startswith("**", k) or line.startswith("__", k):
                mark = line[k:k + 2]
                if strong and mark == opened or not strong and mark in line[k + 2:] and line[k + 2:k + 3].strip():
                    if mark == "__":
                        self.warn(n, "`__…__` is written `**…**` in the story subset; set in bold")
                    out.append(("".join(buf), strong))
                    buf, strong, opened = [], not strong, mark
                    k += 2
                    continue
                self.warn(n, f"`{mark}` without its closing `{mark}`; printed as it is (write \\{mark[0]}\\{mark[0]} "
                             f"for the marks themselves)")
                take(k, k + 2)
                k += 2
                continue
            if ch == "*" and line.find("*", k + 1) > k + 1 and line[k + 1:k + 2].strip():
                end = line.find("*", k + 1)
                self.warn(n, "`*…*` (italic) is not part of the story subset; set upright without the asterisks")
                take(k + 1, end)
                k = end + 1
                continue
            if ch == "`" and line.find("`", k + 1) > k:
                end = line.find("`", k + 1)
                self.warn(n, "`code` is not part of the story subset; set as text without the backticks")
                take(k + 1, end)
                k = end + 1
                continue
            m = _LINK.match(line, k)
            if m:
                if m.group(1):
                    self.warn(n, f"an image in the text (`![{m.group(2)}](…)`) is not part of the story subset; "
                                 f"left out: place it as a photo block")
                else:
                    self.warn(n, f"a link is not part of the story subset; its text `{m.group(2)}` is set, "
                                 f"the address {m.group(3)} is not")
                    take(m.start(2), m.end(2))
                k = m.end()
                continue
            m = _TAG.match(line, k)
            if m:
                self.warn(n, f"HTML (`{m.group(0)}`) is not part of the story subset; printed as it is")
                take(m.start(), m.end())
                k = m.end()
                continue
            take(k, k + 1)
            k += 1
        if strong:
            # an opening ** whose partner is on this line was closed above; reaching here means none was
            self.warn(n, "`**` without its closing `**` on the same line; the rest of the line is set in bold")
        out.append(("".join(buf), strong))
        return [(t, s) for t, s in out if t], offsets


_MARKUP = re.compile(r"[\\*_`\[<]")      # escapes, strong, italics, code, links and images, HTML
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")


def _item(line: str):
    """(marker, text) of a list item line, or None."""
    m = _BULLET.match(line)
    if m and m.group(1).strip():
        return BULLET, m.group(1).strip()
    m = _NUMBERED.match(line)
    if m:
        sep = {"．": ".", "）": ")"}.get(m.group(2), m.group(2))
        return m.group(1) + sep, m.group(3).strip()
    m = _HAN_NUMBERED.match(line)
    if m:
        return m.group(1), m.group(2).strip()
    return None


def _cell_ranges(line: str) -> list:
    """(start, end) in `line` of each cell of `| a | b |` (a \\| inside a cell is an escaped bar)."""
    first = len(line) - len(line.lstrip()) + 1
    inner_end = len(line.rstrip()) - 1
    out, start, k = [], first, first
    while k < inner_end:
        if line[k] == "\\" and k + 1 < inner_end and line[k + 1] == "|":
            k += 2
            continue
        if line[k] == "|":
            out.append((start, k))
            start = k + 1
        k += 1
    out.append((start, inner_end))
    return out


def _merge(runs) -> tuple:
    out = []
    for text, strong in runs:
        if not text:
            continue
        if out and out[-1][1] == strong:
            out[-1] = (out[-1][0] + text, strong)
        else:
            out.append((text, strong))
    return tuple(out)
