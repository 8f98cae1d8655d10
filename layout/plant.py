"""The print shop's numbers (shared/design/PRINT.md), in one place for the spec checks, the build and preflight."""

INK_LIMIT = 240.0          # total area coverage, percent (ISOnewspaper26v4)
MIN_PPI, WARN_PPI = 100, 150   # effective resolution of photos: error below, warning below
MIN_TEXT = 6.0             # pt, positive text
MIN_MULTI_INK_TEXT = 10.0  # pt: colour text below this must be one ink
RICH_BLACK_K = 0.85        # black this deep with any C, M or Y under it is rich black
MIN_LINE = 0.25            # pt
