"""Where a Latin word may be hyphenated (pyphen's dictionaries); never in URLs, addresses, code points or numbers."""
from __future__ import annotations

import re
from functools import lru_cache

MIN_WORD = 6            # shorter words are never hyphenated
MIN_PART = 3            # letters kept on each side of a hyphen
#: a run that is an address, a file name, a code point or holds digits: never hyphenated
_NOT_A_WORD = re.compile(r"://|@|www\.|^U\+|[/\\_=&?#%]|\d")
_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]+")


@lru_cache(maxsize=1)
def _dictionary():
    import pyphen
    return pyphen.Pyphen(lang="en_US", left=MIN_PART, right=MIN_PART)


@lru_cache(maxsize=4096)
def hyphen_points(run: str) -> tuple:
    """Offsets k in `run` (a run of word characters with no space in it) before which a line may break
    with a hyphen: inside its letter-only words (camelCase parts included) at the dictionary's points."""
    if len(run) < MIN_WORD or _NOT_A_WORD.search(run):
        return ()
    points = []
    for m in _LETTERS.finditer(run):
        word = m.group(0)
        # camelCase parts are words of their own: maximumFractionDigits -> maximum Fraction Digits
        parts = [p.start() for p in re.finditer(r"[A-Z]?[a-z\u00DF-\u024F]+|[A-Z]+(?![a-z])", word)]
        for n, start in enumerate(parts):
            end = parts[n + 1] if n + 1 < len(parts) else len(word)
            sub = word[start:end]
            if n and start >= MIN_PART and len(word) - start >= MIN_PART:
                points.append(m.start() + start)
            if len(sub) >= MIN_WORD:
                points += [m.start() + start + p for p in _dictionary().positions(sub.lower())]
    return tuple(sorted(set(points)))
