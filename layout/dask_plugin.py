"""The Dask worker plugin that makes the fonts ready once per worker (imported only with a scheduler)."""
from __future__ import annotations

import asyncio

from distributed import WorkerPlugin

from .cluster import prepare_fonts_here


class FontPlugin(WorkerPlugin):
    """On every worker, and on every worker that joins or restarts later, the faces are made
    embeddable and registered with ReportLab once, before it renders a page."""

    def __init__(self, faces):
        self.faces = list(faces)

    async def setup(self, worker) -> None:
        await asyncio.get_running_loop().run_in_executor(None, prepare_fonts_here, self.faces)
