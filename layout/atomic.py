"""Atomic file writes: a temporary file beside the destination, renamed over it once complete."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


class NotCreated(OSError):
    """The temporary file could not be made beside the destination (the folder is missing, read-only, …)."""


def write_atomic(dest: Path, write: Callable[[Path], None], mode: int = 0o644) -> None:
    """Call `write(tmp)` on a new temporary file beside `dest`, then rename it over `dest`.

    On any failure, Ctrl-C included, the temporary file is removed and `dest` is left as it was (an earlier
    good file survives). A temporary file that cannot be created raises NotCreated."""
    dest = Path(dest)
    # the name is chosen before the file exists, so that a Ctrl-C at any moment after it is created
    # (even inside the call that creates it) still finds it and removes it
    tmp = dest.parent / f".{dest.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as err:
            raise NotCreated(err.errno, err.strerror, str(dest.parent)) from None
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, dest)
    except NotCreated:
        raise                                    # nothing of ours to remove
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(dest: Path, text: str) -> None:
    """`text` as UTF-8 into `dest`, atomically."""
    write_atomic(dest, lambda tmp: tmp.write_text(text, encoding="utf-8"))
