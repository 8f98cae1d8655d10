"""Renderers of the display list: PDF (the only ReportLab user) and the text dump."""
