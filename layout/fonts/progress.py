"""Progress of font conversion: start and end lines per face, a live percentage on a terminal."""

from __future__ import annotations

import sys
import time
from typing import Callable

SECONDS_PER_GLYPH = 0.0011         # CPU s per CFF glyph converted, 2.8 GHz Xeon

Progress = Callable[[str, int, int], None]   # (family, glyphs done, glyphs total); done == 0 starts


class StderrProgress:
    """Progress reporter: a start and an end line per face; a live percentage on a terminal.

    The start line's estimate assumes faces are converted one after another on all cores.
    """

    def __init__(self, stream=None, cores: int | None = None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        if not cores:
            from .convert import _cores      # convert reports here: imported when used
            cores = _cores()
        self.cores = cores
        self.started: dict[str, float] = {}
        self.percent: dict[str, int] = {}
        self.queued = 0

    def __call__(self, family: str, done: int, total: int) -> None:
        if done == 0:
            self._start(family, total)
        elif done >= total:
            self._finish(family, total)
        else:
            pct = done * 100 // total
            before, self.percent[family] = self.percent.get(family, 0), pct
            if self.tty or pct // 25 > before // 25:
                self._line(None if self.tty else f"  {family} {pct}%")

    def _start(self, family: str, total: int) -> None:
        self.started[family] = time.monotonic()
        self.percent[family] = 0
        self.queued += total
        eta = max(1, round(self.queued * SECONDS_PER_GLYPH / self.cores))
        self._line(f"preparing {family} for embedding (first run only, ~{eta} s)…")

    def _finish(self, family: str, total: int) -> None:
        self.percent.pop(family, None)
        self.queued -= total
        took = time.monotonic() - self.started.get(family, time.monotonic())
        self._line(f"  {family} ready ({took:.0f} s)")

    def _line(self, text: str | None) -> None:
        out = self.stream
        if self.tty:
            out.write("\r\x1b[K")
        if text:
            out.write(text + "\n")
        if self.tty and self.percent:
            out.write("  " + " · ".join(f"{k} {v}%" for k, v in self.percent.items()))
        out.flush()


def silent(family: str, done: int, total: int) -> None:
    """Progress callback that reports nothing."""
