"""The one exception of the font package: what is wrong with a font, in one line."""

from __future__ import annotations


class FontError(Exception):
    """A font cannot be found, read or configured; the message is one line."""
