"""Character classes of Chinese composition as data tables (W3C clreq, GB/T 15834)."""
from __future__ import annotations

import unicodedata

# -- punctuation by the side its blank half em stands on (clreq: punctuation width adjustment)
OPENING = frozenset("“‘「『（【〖〔［｛《〈")
CLOSING = frozenset("”’」』）】〗〕］｝》〉")
PAUSE = frozenset("，、；：")            # 点号 whose blank may shrink early
STOP = frozenset("。．！？‼⁇")          # 句末点号, shrunk last
INTERPUNCT = frozenset("·・‧")
DASH = "—"                              # ——, two em, never split
ELLIPSIS = "…"                          # ……, two em, never split

# -- line-start and line-end prohibitions, basic level (clreq #prohibition_rules_for_line_start_end)
NO_START = frozenset("、，。．：；！？‼⁇" "”’」』）】〗〕］｝》〉" "～–—…" "·・‧/／" "%％‰℃" ",.:;!?)]}")
NO_END = frozenset("“‘「『（【〖〔［｛《〈" "¥￥$＄" "([{")
#: characters that stick to a digit run on their side (GB/T 15835: a number is never split)
NUMBER_PREFIX = frozenset("¥￥$＄+-±#№")
NUMBER_SUFFIX = frozenset("%％‰℃°")
NUMBER_INNER = frozenset(".,:/")
#: currency signs that open a number's Latin run (¥100, $5): spaced from Han like a digit
NUMBER_PREFIX_SIGNS = frozenset("¥$")
#: inside an unbreakable Latin run, the places where a URL or an address may break if it must
URL_BREAK_AFTER = frozenset("/._?&=#@")   # not "-": a line-end hyphen reads as hyphenation
#: full-width signs that are not Han: set like their ASCII forms (no Han–Latin space, no letter-spacing next
#: to the number or word they belong to)
WIDE_SIGNS = frozenset("￥＄％～／")

# class names
HAN, LATIN, DIGIT, SYMBOL = "han", "latin", "digit", "symbol"
OPEN, CLOSE, PAUSE_C, STOP_C, DOT, DASH_C, ELLIPSIS_C = "open", "close", "pause", "stop", "dot", "dash", "ellipsis"
PUNCT_CLASSES = frozenset({OPEN, CLOSE, PAUSE_C, STOP_C, DOT, DASH_C, ELLIPSIS_C})


def char_class(ch: str) -> str:
    """The composition class of one character."""
    if ch in OPENING:
        return OPEN
    if ch in CLOSING:
        return CLOSE
    if ch in PAUSE:
        return PAUSE_C
    if ch in STOP:
        return STOP_C
    if ch in INTERPUNCT:
        return DOT
    if ch == DASH:
        return DASH_C
    if ch == ELLIPSIS:
        return ELLIPSIS_C
    if "0" <= ch <= "9":
        return DIGIT
    if ch in WIDE_SIGNS:
        return SYMBOL
    if is_wide(ch):
        return HAN
    if ch.isalpha():
        return LATIN
    return SYMBOL


def is_wide(ch: str) -> bool:
    """Han, kana, hangul, full-width forms, CJK symbols: set on the em grid."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return True
    return 0x20000 <= ord(ch) <= 0x3FFFF  # astral ideographs


def is_word_char(cls: str) -> bool:
    """Letters, digits and ASCII symbols that build unbreakable Latin words and numbers."""
    return cls in (LATIN, DIGIT, SYMBOL)


def is_letter(cls: str) -> bool:
    """A character that counts as text for 孤字 (not punctuation)."""
    return cls in (HAN, LATIN, DIGIT)


# -- justification priorities (clreq #line_adjustment). Reduction goes in this order:
SHRINK_LATIN_SPACE, SHRINK_INTERPUNCT, SHRINK_BRACKET, SHRINK_PAUSE, SHRINK_HAN_LATIN, SHRINK_STOP = range(6)
SHRINK_ORDER = (SHRINK_LATIN_SPACE, SHRINK_INTERPUNCT, SHRINK_BRACKET, SHRINK_PAUSE, SHRINK_HAN_LATIN, SHRINK_STOP)
#: expansion order: word spaces up to ½ em first, then Han–Latin spacing up to ⅓ em; then even letter-spacing
STRETCH_ORDER = (SHRINK_LATIN_SPACE, SHRINK_HAN_LATIN)
SHRINK_CLASS = {OPEN: SHRINK_BRACKET, CLOSE: SHRINK_BRACKET, PAUSE_C: SHRINK_PAUSE, STOP_C: SHRINK_STOP,
                DOT: SHRINK_INTERPUNCT}

# -- spacing, in em of the text size
HAN_LATIN = 0.25            # natural gap between Han and Latin/digits
HAN_LATIN_MIN = 0.125
HAN_LATIN_MAX = 1 / 3
LATIN_SPACE = 1 / 3         # natural word space inside Chinese text
LATIN_SPACE_MIN = 0.25
LATIN_SPACE_MAX = 0.5
CJK_SPACE = 1.0             # a space typed between two Han characters (bylines, headlines)
CJK_SPACE_MIN = 0.5
INK = 0.5                   # a full-width mark's ink; the rest of its em is blank
PARAGRAPH_INDENT = 2.0
