"""Click to source: the FILE:LINE:COL of a character on the page, found in its article file.

The composer keeps no source offsets, so the characters of an article's runs (in reading order) are
aligned with the article file: each character is looked for from where the previous one was found,
skipping what the page does not show (line breaks, spaces, comments, the front matter's keys)."""
from __future__ import annotations

from pathlib import Path

HEADING_ROLES = ("rubric", "kicker", "headline", "subhead", "caption_credit", "credit")
LOOKAHEAD = 400


def _line_col(text: str, offset: int) -> tuple:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _body_start(text: str) -> int:
    """Offset just after the front matter (or 0)."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            nl = text.find("\n", end + 4)
            return len(text) if nl < 0 else nl + 1
    return 0


def locate(path: Path, runs: list, run_index: int, char_index: int) -> dict:
    """Where character `char_index` of run `run_index` stands in the article file. runs: [(role, text)]
    of the article in reading order. Returns {"file", "line", "col"}."""
    text = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n")
    role, run_text = runs[run_index]
    if role in HEADING_ROLES or role not in ("body", "byline", "caption"):
        key = "byline" if role == "byline" else role
        start = text.find(f"\n{key}:") + 1 if f"\n{key}:" in text else 0
        offset = text.find(run_text[char_index], start)
        line, col = _line_col(text, max(offset, start))
        return {"file": str(path), "line": line, "col": col}
    pos = _body_start(text)
    found = pos
    for k, (r, chars) in enumerate(runs):
        if r not in ("body", "byline", "caption"):
            continue
        for i, ch in enumerate(chars):
            if ch.isspace():
                continue
            hit = text.find(ch, pos, pos + LOOKAHEAD)
            if hit >= 0:
                pos = hit + 1
            if k == run_index and i == char_index:
                found = hit if hit >= 0 else pos
                line, col = _line_col(text, found)
                return {"file": str(path), "line": line, "col": col}
    line, col = _line_col(text, found)
    return {"file": str(path), "line": line, "col": col}
