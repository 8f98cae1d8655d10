"""The rules of a good modular page, as the planner's limits and weights (documented in the README)."""
from __future__ import annotations

# -- limits: a plan that breaks one is never made ------------------------------------------------
GAP_LINES = 1              # one blank grid line (it carries the rule) between blocks stacked in a column
MIN_TEXT_COLS = 2          # a story's text is at least two grid columns wide
MIN_DEPTH = 5              # no story split into more columns than its text can fill: each text column
                           #   holds at least this many lines
MAX_DEPTH = 60             # and no text column deeper than this (a story that long gets more columns)
WIDE_TEXT = (3, 5)         # in three to five grid columns, a story's text may run in one text column fewer
MAX_HEAD_PAD = 3           # heading zones may grow by up to this many lines beyond what the heading needs
MAX_HEADLINE_LINES = 3     # a headline size that needs more lines at a width is not used there
HEADLINE_RANGE = (20.0, 36.0)   # pt: the lead's headline at the top of the range, falling with priority
HEADLINE_STEP = 4.0        # pt: the planner tries the size for the story's rank and one step smaller
MIN_PHOTO_COLS = 2         # photos at least two columns wide
MIN_FRAME_LINES = 6        # and at least six lines high
MAX_CROP = 0.30            # a photo's frame may cut at most 30 % off its width or its height (the elastic part)
ADVICE_ASPECT = 1.5        # the photo advice gives a lead that has none: 3:2 landscape, as most news photos

# -- weights: what the search minimises ----------------------------------------------------------
W_TOMBSTONE = 1000.0       # two headlines side by side at the same height in neighbouring blocks
W_TAU_AREA = 40.0          # (1 - Kendall's tau) between priority and area
W_TAU_TOP = 40.0           # (1 - Kendall's tau) between priority and top position
W_EMPTY_LINE = 15.0        # each empty line slot in a text column (exact fill)
W_WIDE_TEXT = 2.0          # text columns wider than a grid column (a longer measure)
W_HEAD_PAD = 0.4           # each line of air added to a heading zone
W_CROP = 6.0               # |log(frame aspect / photo aspect)|: how far the photo is cropped
W_HEADLINE_OFF = 0.5       # per HEADLINE_STEP the headline is smaller than its rank's size
W_HEADLINE_ORDER = 3.0     # each pair of stories whose headline sizes contradict their priorities
W_CUT_LINE = 20.0          # each body line cut, when the planner is told to find what would have to go
W_GOAL = 10000.0           # per unit a plan falls short of the goals below (tau, fill in %)
W_MISSED = 1e6             # once for a plan that misses any goal (it is never written while one meets them)
GOAL_TAU = 0.8
GOAL_FILL = 0.01
