"""Did you mean …? The one rule that proposes a name for a mistyped one, used by every message."""
from __future__ import annotations

import re
from typing import Iterable


def _fold(name: str) -> str:
    """Case, spaces, `-`, `_` and invisible characters (terminal escapes too) do not tell names apart."""
    name = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", name)
    return "".join(ch for ch in name if ch.isprintable() and not ch.isspace() and ch not in "_-").casefold()


def edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` was probably meant as: the same but for case, spaces, `-`/`_`, or a typo of at
    most one edit in three characters (two swapped letters count as one). None when the guess would be poor:
    then a message lists what is allowed instead."""
    known = [str(k) for k in known]
    folded = _fold(str(name))
    best, best_cost = None, None
    for k in known:
        cost = edits(folded, _fold(k))
        if cost <= len(folded) // 3 and (best_cost is None or cost < best_cost):
            best, best_cost = k, cost
    return best


def hint(name: str, known: Iterable[str], listing: str = "allowed") -> str:
    """`did you mean `x`?` when the guess is good, else `LISTING: a, b, c` (every known name)."""
    known = [str(k) for k in known]
    near = closest(name, known)
    if near is not None:
        return f"did you mean `{near}`?"
    return f"{listing}: " + (", ".join(known) if known else "none")
