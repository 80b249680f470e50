"""A guard against a reference-counting bug in the PySide6 6.12 wheels on Python 3.11.

Those wheels return None from void C++ methods (QPainter.save(), QPointF.setX(), ...) without
taking a reference to it, as if None were immortal, which it only is from Python 3.12 on (PEP 683).
Every such call drops one reference to None; after some tens of thousands of calls (seconds of
playback: each repaint makes hundreds) Python aborts with "none_dealloc: deallocating None".
Python 3.12+ cannot be used here (mediapipe 0.10.21), so when the leak is detected None gets the
effectively infinite reference count that 3.12 gives it. None is a static singleton that is never
freed anyway, so the count only has to stay away from zero."""
from __future__ import annotations

import ctypes
import sys

IMMORTAL_REFCOUNT = 1 << 60


def none_refs_leak(calls: int = 200) -> bool:
    """True when a void PySide6 method call loses a reference to None."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(calls):
        point.setX(1.0)
    return sys.getrefcount(None) <= before - calls // 2


def protect_none() -> bool:
    """Make None's reference count unreachable for the leak; True when the guard was needed."""
    if sys.version_info >= (3, 12) or not none_refs_leak():
        return False
    if sys.getrefcount(None) < IMMORTAL_REFCOUNT // 2:
        ctypes.c_ssize_t.from_address(id(None)).value = IMMORTAL_REFCOUNT
    return True
