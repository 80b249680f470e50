"""Native libraries (MediaPipe's C++ side, ALSA) print straight to file descriptor 2; a creator's
terminal should not fill with their INFO lines. Used only around the few calls that print."""
from __future__ import annotations

import contextlib
import os


@contextlib.contextmanager
def native_stderr_silenced():
    """File descriptor 2 goes to /dev/null for the block (Python's own stderr object too)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
