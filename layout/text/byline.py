"""Bylines and photo credits: a line breaks between people (or, failing that, between a title and its
name), never inside a title or a name."""
from __future__ import annotations

import re

#: titles that stand before a name in bylines and credits (longest first: 实习记者 before 记者)
TITLES = ("特约记者", "实习记者", "见习记者", "摄影记者", "本报记者", "记者", "通讯员", "实习生", "摄影", "编辑",
          "美编", "校对", "责编", "撰稿", "整理", "报道员")
#: words that follow the names they belong to (新华社记者 张三 摄)
AFTER_NAME = ("摄", "摄影", "报道", "整理")
OPENING = "（(【〔［"
_STRIP = "（）()【】〔〕［］■●◆▲"
_DATE = re.compile(r"(\d{4}年)?\d{1,2}月\d{1,2}日")


def people_breaks(text: str) -> frozenset:
    """Offsets k into `text` after which a line may end: at a typed space whose left word is a name
    (so that the next person begins the line: 记者 云艳芳 / 通讯员 乔羽), before an opening bracket
    (本报讯 / （记者 …), and between a dateline's place and its date (新华社呼和浩特 / 11月30日电), which are
    typed without a space. A title and its name, and the letters of either, stay together."""
    out = set()
    words = _words(text)
    for n, (start, end) in enumerate(words):
        for p in range(start, end):
            if text[p + 1] in OPENING or _DATE.match(text, p + 1) and not text[p].isdigit() and text[p] != "年":
                out.add(p)       # 本报讯 / （记者 …）; a dateline's place / its date (新华社呼和浩特 / 11月30日电)
        if n + 1 < len(words):
            word = text[start:end + 1].strip(_STRIP)
            following = text[words[n + 1][0]:words[n + 1][1] + 1].strip(_STRIP)
            if word and not word.endswith(TITLES) and following not in AFTER_NAME:
                out.add(end)
    return frozenset(out)


def title_breaks(text: str) -> frozenset:
    """Offsets k into `text` at a typed space between a title and its name (记者 / 云艳芳): a second
    choice, taken only when every break between people leaves a line spaced far too loosely."""
    out = set()
    words = _words(text)
    for n, (start, end) in enumerate(words[:-1]):
        word = text[start:end + 1].strip(_STRIP)
        following = text[words[n + 1][0]:words[n + 1][1] + 1].strip(_STRIP)
        if word.endswith(TITLES) or following in AFTER_NAME:
            out.add(end)
    return frozenset(out)


def split_people(line_texts, byline: str) -> bool:
    """Whether lines (their texts, in order, from the start of the byline) break the byline inside a
    title or a name (anywhere but people_breaks and title_breaks)."""
    allowed = people_breaks(byline) | title_breaks(byline)
    squashed = [k for k, ch in enumerate(byline) if not ch.isspace()]   # squashed index -> text offset
    seen = 0
    for text in line_texts[:-1]:
        seen += sum(1 for ch in text if not ch.isspace())
        if seen >= len(squashed):
            return False
        if squashed[seen - 1] not in allowed:
            return True
    return False


def _words(text: str) -> list:
    """(start, end) offsets, end inclusive, of the words typed between spaces."""
    return [(m.start(), m.end() - 1) for m in re.finditer(r"\S+", text)]
