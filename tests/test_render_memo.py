"""The renderer's in-process memos (font subsets, Flate output, photo digests) change no byte:
a rebuild in a long-lived process writes the file a fresh process writes."""
import subprocess
import sys

from layout.build import build

from .conftest import FLAGSHIP


def test_rebuild_in_process_writes_the_bytes_of_a_fresh_process(tmp_path):
    again = tmp_path / "again.pdf"
    build(FLAGSHIP, tmp_path / "first.pdf")
    build(FLAGSHIP, again)                       # memos filled by the first build answer here
    fresh = tmp_path / "fresh.pdf"
    subprocess.run([sys.executable, "-m", "layout", "build", str(FLAGSHIP), "-o", str(fresh)], check=True,
                   capture_output=True, env={**__import__("os").environ, "LAYOUT_COMPOSE_CACHE": "0"})
    assert again.read_bytes() == fresh.read_bytes()
    assert (tmp_path / "first.pdf").read_bytes() == fresh.read_bytes()
