"""The composer's front door: spans of text in, justified lines (or balanced heading lines) out."""
from __future__ import annotations

from . import classes as C
from . import store
from .justify import SetLine, set_line
from .linebreak import LineFit, Paragraph, break_lines
from .segment import FORBIDDEN, Metrics, Span, atomize


_MEMO: dict = {}        # (metrics key, function, arguments) -> (result, face keys used)
_MEMO_MAX = 4096


def _memoised(fn):
    """Compose once per distinct input in a process (layout watch, an edition's pages): a rebuild
    after a text edit sets only the paragraphs that changed. Keyed on metrics.key (same catalog,
    same roles); the faces a result used are handed back to metrics on a hit."""
    def wrapper(spans, measure, metrics, em, *args, **kwargs):
        mkey = getattr(metrics, "key", None)
        if mkey is None:
            return fn(spans, measure, metrics, em, *args, **kwargs)
        key = (mkey, fn.__name__, tuple(spans), measure, em, args, tuple(sorted(kwargs.items())))
        hit = _MEMO.get(key)
        if hit is not None:
            result, faces = hit
            metrics.add_faces(faces)
            return result
        digest = _store_digest(metrics, key[1:])
        stored = store.load(digest) if digest else None
        if stored is not None and metrics.add_stored_faces(stored[1]):
            result, faces = stored
        else:
            stored = None
            with metrics.track() as faces:
                result = fn(spans, measure, metrics, em, *args, **kwargs)
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = (result, frozenset(faces))
        if digest and stored is None:
            store.save(digest, (result, tuple(sorted(faces))))
        return result
    wrapper.__wrapped__ = fn
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _store_digest(metrics, parts: tuple) -> str | None:
    """The on-disk store's name for a composition (None: not storable, e.g. a font named by a path
    outside the catalog, whose face the fingerprint does not cover)."""
    fingerprint = getattr(metrics, "fingerprint", None)
    fonts = fingerprint() if fingerprint else None
    if fonts is None:
        return None
    text, families = fonts
    if any(metrics.family(span.font) not in families for span in parts[1]):
        return None
    return store.entry_name(text, parts[0], parts[1:])


@_memoised
def compose_paragraph(spans, measure: float, metrics: Metrics, em: float, indent: float | None = None,
                      justify: bool = True):
    """Set a paragraph: 2-em indent, prohibitions, compression, total-fit breaks, justified lines.

    Returns (lines, missing characters)."""
    atoms, gaps, missing = atomize(spans, metrics, indent=C.PARAGRAPH_INDENT * em if indent is None else indent)
    if not any(a.ch for a in atoms):
        return (), missing
    par = Paragraph(atoms, gaps, measure, em)
    lines = tuple(set_line(par, fit, spans, justify) for fit in break_lines(par))
    return lines, missing


@_memoised
def compose_heading(spans, measure: float, metrics: Metrics, em: float, display: bool = True):
    """Set a headline, kicker or subhead: natural widths, broken into balanced lines when too long.

    Breaks prefer spaces, then the points after 、，：；; no line holds a lone character. display: an
    opening mark at a line start is set in its half box (False: it keeps its em, as in body text)."""
    atoms, gaps, missing = atomize(spans, metrics)
    if not atoms:
        return (), missing
    par = Paragraph(atoms, gaps, measure, em, display)
    n = len(atoms)
    if par.natural(0, n - 1) - sum(par.shrinkable(0, n - 1)) <= measure:
        return (set_line(par, LineFit(0, n - 1, par.natural(0, n - 1), True), spans, justify=False),), missing
    fits = _balanced(par)
    return tuple(set_line(par, f, spans, justify=False) for f in fits), missing


def _balanced(par: Paragraph) -> list:
    """Fewest lines, then the most even lengths, then the best break points."""
    atoms, gaps, n = par.atoms, par.gaps, len(par.atoms)
    total = par.natural(0, n - 1)
    lines_min = max(2, int(total // par.measure) + 1)
    target = total / lines_min

    def break_cost(k: int) -> float:
        g = gaps[k]
        if g.penalty is FORBIDDEN:
            return None
        if g.penalty >= 1e5:           # inside a name, a number or a URL: a last resort
            return g.penalty
        if g.space:
            return 0.0
        if atoms[k].cls in (C.PAUSE_C, C.CLOSE, C.STOP_C):
            return 2.0
        return 20.0 + g.penalty

    best = {0: (0.0, None)}
    for j in list(range(n - 1)) + [n - 1]:
        pen = 0.0 if j == n - 1 else break_cost(j)
        if pen is None:
            continue
        for i in sorted(best):
            if i > j:
                continue
            width = par.natural(i, j)
            over = width - sum(par.shrinkable(i, j)) > par.measure
            letters = par.letters[j + 1] - par.letters[i]
            cost = best[i][0] + pen + ((width - target) / par.em) ** 2 + 1000.0
            if over:
                cost += 1e8 + width
            if letters < 2:
                cost += 1e6
            if j + 1 not in best or cost < best[j + 1][0]:
                best[j + 1] = (cost, i)
    fits, k = [], n
    while k:
        i = best[k][1]
        fits.append(LineFit(i, k - 1, par.natural(i, k - 1), True))
        k = i
    return fits[::-1]
