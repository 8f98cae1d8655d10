"""The build report: per-article copyfit, missing glyphs, warnings; as text for stderr or JSON for stdout."""
from __future__ import annotations

import json
import math


def _n(count: int, word: str) -> str:
    """'1 line', '3 lines'."""
    return f"{count} {word}{'' if count == 1 else 's'}"
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ArticleFit:
    """How one article fared in its block."""
    id: str
    block: str
    status: str            # fits | overflow | underfull
    chars: int
    overflow_chars: int
    empty_lines: int
    overflow_lines: int = 0
    lines_per_column: int = 0
    columns: int = 1
    measure_chars: int = 13    # body characters per line, to turn lines into characters


@dataclass(frozen=True)
class MissingGlyph:
    """A character that no face in its role's chain can draw (it is left out of the page)."""
    char: str
    codepoint: str
    article: str
    role: str


@dataclass(frozen=True)
class PageGrid:
    """A page's grid as `layout check` shows it (lengths in pt): columns of whole characters, body lines."""
    page: int              # 1-based, in the document
    spec: str              # the page's spec file
    columns: int
    column_chars: int      # body characters a column holds
    column_width: float
    gutter: float
    body_lines: int
    leading: float
    body_size: float
    body_font: str         # the body's font role

    def summary(self) -> str:
        """The text line: `SPEC: grid: 8 columns of 13 characters (117pt, gutter 9pt); 98 body lines …`."""
        return (f"{self.spec}: grid: {self.columns} columns of {self.column_chars} characters "
                f"({self.column_width:g}pt, gutter {self.gutter:g}pt); {self.body_lines} body lines at "
                f"{self.leading:g}pt leading ({self.body_size:g}pt {self.body_font})")


@dataclass(frozen=True)
class Report:
    """Everything a designer needs to know about one build."""
    output: str
    pages: int
    articles: tuple
    missing_glyphs: tuple = ()
    warnings: tuple = ()
    written: bool = True
    preflight: tuple = ()      # preflight.Finding of the written file
    marks: tuple = ()          # overlay.OverflowMark per overflowing block, for the pictures (not in the JSON)
    files: tuple = ()          # (path, what) of every other file written: grid proof, previews ("" says nothing)
    grids: tuple = ()          # PageGrid per page

    @property
    def preflight_errors(self) -> list:
        return [f for f in self.preflight if f.level == "error"]

    @property
    def overflowing(self) -> list:
        return [a for a in self.articles if a.status == "overflow"]

    def to_json(self) -> str:
        data = {
            "output": self.output,
            "written": self.written,
            "pages": self.pages,
            "articles": [{k: v for k, v in asdict(a).items()} for a in self.articles],
            "missing_glyphs": [asdict(m) for m in self.missing_glyphs],
            "warnings": list(self.warnings),
            "preflight": [{"level": f.level, "message": f.message} for f in self.preflight],
            "files": [{"path": path, "what": what} for path, what in self.files],
            "grids": [asdict(g) for g in self.grids],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        out = []
        wid = max((len(a.id) for a in self.articles), default=8)
        wblock = max((len(a.block) for a in self.articles), default=8)
        for a in self.articles:
            line = f"{a.id:<{wid}}  {a.block:<{wblock}}  {a.status:<9} {a.chars:>5} chars"
            if a.status == "overflow":
                more = math.ceil(a.overflow_lines / a.columns)
                line += (f"  OVERFLOW by {a.overflow_chars} characters ({_n(a.overflow_lines, 'line')} of text): "
                         f"needs {_n(more, 'more line')} in the block, or about "
                         f"{min(a.overflow_lines * a.measure_chars, a.overflow_chars)} fewer characters")
            elif a.status == "underfull":
                rows = a.empty_lines // a.columns
                line += (f"  underfull: {_n(a.empty_lines, 'empty line')}; the block is {_n(rows, 'line')} too "
                         f"tall, or has room for about {a.empty_lines * a.measure_chars} more characters")
            out.append(line)
        for m in self.missing_glyphs:
            out.append(f"missing glyph: {m.char} {m.codepoint} in {m.article} ({m.role}): no font has it; "
                       f"it is left out")
        out += [f"warning: {w}" for w in self.warnings]
        out += [f"preflight {f}" for f in self.preflight]
        verb = "wrote" if self.written else "checked (nothing written):"
        out.append(f"{verb} {self.output} ({self.summary})")
        out += [f"wrote {path}" + (f" ({what})" if what else "") for path, what in self.files]
        return "\n".join(out)

    @property
    def summary(self) -> str:
        """'1 page', '2 pages; overflow: 2 blocks': what a command says of the file it wrote."""
        text = _n(self.pages, "page")
        if self.overflowing:
            text += f"; overflow: {_n(len(self.overflowing), 'block')}"
        return text


