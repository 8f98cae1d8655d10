"""Click to source: a character's offset in its article file (carried from the composer through the
display list into the page's SVG) as the FILE:LINE:COL an editor opens.

Columns: FILE:LINE:COL counts characters (code points) from 1, as every `error: FILE:LINE:COL` of layout
does (PyYAML's marks, Python's str). VS Code, whose `vscode://file/PATH:LINE:COL` links the studio offers,
counts UTF-16 code units (its editor model is a JavaScript string: a character beyond U+FFFF, such as
the Extension B ideograph 𠀤, takes two columns), so the link carries that column instead; the two agree on
every line without such characters."""
from __future__ import annotations

from pathlib import Path


def utf16_column(line_text: str, col: int) -> int:
    """The 1-based UTF-16 column of the character at 1-based code-point column `col` of a line."""
    return 1 + sum(2 if ord(ch) > 0xFFFF else 1 for ch in line_text[:col - 1])


def line_col(path: Path, offset: int) -> tuple | None:
    """(line, column, character, UTF-16 column) of character `offset` of the file as layout reads it
    (line ends made \\n, a byte-order mark dropped), counted from 1; None when past its end."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not 0 <= offset < len(text):
        return None
    start = text.rfind("\n", 0, offset) + 1
    col = offset - start + 1
    return text.count("\n", 0, offset) + 1, col, text[offset], utf16_column(text[start:offset + 1], col)
