"""Full-width punctuation typed for YAML's own: `size： [3, 14]`, `[3，14]`, `headline：` from a Chinese keyboard.

YAML reads `：` and `，` as text, so such a slip surfaces later, at another line or as a vague message.
These functions find the mark itself; yamlsrc turns what they find into `FILE:LINE:COL: …` errors.
A full-width mark inside a value (`credits: 编辑：黄涵琦`) is text and is left alone.
"""
from __future__ import annotations

import re

MARKS = {"：": ("colon", ":"), "，": ("comma", ",")}
#: a key as the spec's are written (lower-case ASCII), then a full-width colon instead of `:`
_KEY = re.compile(r"([a-z_][a-z0-9_]*)[ \t]*：")
#: at the start of a line: indentation and an optional list dash
_LINE_START = re.compile(r"[ \t]*(?:-[ \t]+)?")


def key_colon(value: str) -> tuple[int, str] | None:
    """(offset of the `：`, key) when `value` begins like a key written with a full-width colon."""
    m = _KEY.match(value)
    return (m.end() - 1, m[1]) if m else None


def colon_message(key: str) -> str:
    return f"full-width colon '：' after '{key}'; type ':' (ASCII) followed by a space"


def mark_message(mark: str, shown: str) -> str:
    name, ascii_mark = MARKS[mark]
    return f"full-width {name} '{mark}' in `{shown}`; type '{ascii_mark}' (ASCII), or quote the value to keep it as text"


def in_plain(value: str, starts_line: bool, flow: bool, is_key: bool = False) -> tuple[int, str] | None:
    """(offset in `value`, message) for a plain (unquoted) scalar: a key typed with `：` when the scalar
    starts its line or stands inside [ ] or { }; there, too, any `，` or `：` (a plain value inside brackets
    is a number or a word: text with such marks is quoted); and a `：` in a key (`A： {file: x}` reads as
    the key `A： {file`)."""
    if is_key and "：" in value:
        at = value.index("：")
        return at, colon_message(value[:at].strip())
    if starts_line or flow:
        found = key_colon(value)
        if found:
            return found[0], colon_message(found[1])
    if flow:
        at = min((value.find(m) for m in MARKS if m in value), default=-1)
        if at >= 0:
            return at, mark_message(value[at], value)
    return None


def in_lines(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """(line, column, message), 1-based, of the full-width mark YAML tripped on in lines first..last (0-based,
    inclusive; the nearest to `last` first): a key followed by `：`, or `，`/`：` inside a [ ] or { } opened
    on that line."""
    for n in reversed(range(max(0, first), min(len(lines), last + 1))):
        line = lines[n]
        start = _LINE_START.match(line).end()
        found = key_colon(line[start:])
        if found:
            return n + 1, start + found[0] + 1, colon_message(found[1])
        opened = min((i for i in (line.find("["), line.find("{")) if i >= 0), default=-1)
        if opened >= 0:
            for i in range(opened, len(line)):
                if line[i] in MARKS:
                    end = next((j for j in range(i, len(line)) if line[j] in ",]}"), len(line))
                    begin = max(line.rfind(c, 0, i) for c in "[{,") + 1
                    return n + 1, i + 1, mark_message(line[i], line[begin:end].strip())
    return None
