"""Errors capture reports to the creator (one line each; the CLI turns them into exit code 3)."""
from __future__ import annotations


class CaptureError(Exception):
    """No camera, a camera that cannot be opened, an output that cannot be written, a bad setting."""
