"""The error a build reports for bad input: one line, `FILE:LINE:COL: what and how to fix`."""
from __future__ import annotations


class BuildError(Exception):
    """Invalid input: one line, `FILE:LINE:COL: what and how to fix`."""
