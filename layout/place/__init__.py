"""Blocks on the page grid: heading zones, body columns, photos and captions, rules, header and footer.

One module per thing placed: headings, story (an article's flow through its chain of blocks),
photos (frame and caption), furniture (header, footer, rules, slug); page puts them together.
"""
from __future__ import annotations

from .common import BlockResult, Page
from .headings import Heading, plan_heading
from .page import place_page
from .story import Chains, Link, Story, body_measure, compose_story, needed_lines, plan_jumps

__all__ = ["BlockResult", "Chains", "Heading", "Link", "Page", "Story", "body_measure", "compose_story",
           "needed_lines", "place_page", "plan_heading", "plan_jumps"]
