"""The one error type the live layer raises: a stream that cannot start or go on."""
from __future__ import annotations


class LiveError(Exception):
    """``str(err)`` is one line, meant for the user as it is, and never contains a stream key:
    every message is built from scrubbed text (studio.live.secrets.scrub)."""

    def __init__(self, message: str):
        # One line whatever FFmpeg or the OS said: multi-line text reads like a traceback.
        super().__init__(" ".join(str(message).split()))
