"""A plan as an ordinary page.yaml: the template's settings, its fixed blocks, and the planned blocks,
each with a comment saying why it stands where it does."""
from __future__ import annotations

import re

from .planner import short_for_rank
from .score import Measures


def _top_level_sections(text: str) -> list:
    """The template's text without its `blocks:` section."""
    out, skipping = [], False
    for line in text.split("\n"):
        if re.match(r"^[A-Za-z_]", line):
            skipping = line.startswith("blocks:")
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _block_items(text: str) -> dict:
    """{first line number: [lines]} of every item of the template's `blocks:` list, as written."""
    items, current, inside = {}, None, False
    for number, line in enumerate(text.split("\n"), 1):
        if re.match(r"^[A-Za-z_]", line):
            inside, current = line.startswith("blocks:"), None
            continue
        if not inside:
            continue
        if re.match(r"^\s*- ", line) and (current is None or _indent(line) <= _indent(items[current][0])):
            current = number
            items[current] = []
        if current is not None:
            items[current].append(line)
    return {n: _trimmed(lines) for n, lines in items.items()}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _trimmed(lines: list) -> list:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _fixed_block(b, items: dict) -> list:
    """A fixed block (an ad, a photo, a rubric, a tint box) as the template writes it, every key kept."""
    lines = items.get(b.where.line)
    if lines:
        return [f"  # {b.id}: fixed by the designer{' (an ad)' if b.ad and not b.fixed else ''}: kept where the "
                f"template puts it", *lines]
    what = f"article: {b.article}" if b.article else f"ad: {b.ad}" if b.ad else f"photo: {b.photo}"
    out = [f"  - id: {b.id}                  # fixed by the designer: kept where the template puts it",
           f"    {what}"]
    if b.caption:
        out.append(f"    caption: {b.caption}")
    out += [f"    at: [{b.col}, {b.line}]", f"    size: [{b.cols}, {b.lines}]", "    fixed: true"]
    return out


def _why(story, leaf, col, line, count) -> str:
    where = "at the top" if line == 1 else f"from line {line}"
    return (f"priority {story.article.priority if story.article.priority is not None else '-'} "
            f"(rank {story.rank} of {count}): {leaf.cols} columns x {leaf.lines} lines {where}")


def page_yaml(result, plan, template_text: str, number: int, seed: int) -> str:
    """The YAML text of one plan."""
    stories = result.stories
    m: Measures = plan.measures
    out = [f"# Planned by `layout plan` (plan {number}, seed {seed}, score {plan.score:.2f}; lower is better).",
           "# Every block below is filled to the line: text columns end level (at most one empty line each),",
           "# photos take up the slack by their height and crop, heading zones by a few lines of air.",
           *(f"# {line}" for line in m.lines())]
    if result.shortage:
        out.append(f"# GOALS MISSED: {result.shortage}")
    gone = {s.id for s in result.left_out}
    for s in result.left_out:
        out.append(f"# LEFT OUT: {s.id} ({s.article.chars} characters would have to go): it does not fit"
                   + short_for_rank(s, result.stories, result.proof, gone))
    out += _top_level_sections(template_text)
    out.append("blocks:")
    items = _block_items(template_text)
    for b in result.template.blocks:           # the planner's template holds only the fixed blocks
        out += _fixed_block(b, items)
    placed = sorted(plan.placed, key=lambda p: (p[2], p[1]))
    for leaf, col, line in placed:
        story = stories[leaf.story]
        why = _why(story, leaf, col, line, len(stories))
        for part in leaf.parts:
            c, ln = col + part.dcol, line + part.dline
            if part.kind == "text":
                out += [f"  - id: {story.id}                # {why}",
                        f"    article: {story.id}",
                        f"    at: [{c}, {ln}]",
                        f"    size: [{part.cols}, {part.lines}]",
                        *([f"    columns: {part.text_cols}         # one wider text column fewer: the text "
                           f"ends level"] if part.text_cols else []),
                        f"    headline_size: {part.headline_size:g}pt    # falls with priority",
                        f"    head_lines: {part.head_lines}" + (f"              # {part.pad} line(s) of air added: "
                                                                 f"the block fills exactly" if part.pad else "")]
            else:
                side = "beside" if part.dline == 0 and len(leaf.parts) > 1 else ("above" if len(leaf.parts) > 1 else "")
                why_photo = (f"its story's photo, {side} the text; height and crop take up the slack"
                             if side else f"picture story: {why}")
                out += [f"  - id: {story.id}-photo          # {why_photo} (crop {part.crop:.2f})",
                        f"    photo: {story.photo}"]
                if story.caption is not None:
                    out.append(f"    caption: {story.caption.id}")
                out += [f"    at: [{c}, {ln}]", f"    size: [{part.cols}, {part.lines}]"]
    return "\n".join(out) + "\n"
