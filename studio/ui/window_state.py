"""The window's size, place, maximised state and panel splits, remembered between sessions, and a
window that never opens larger than the screen it is on (at 150 % scaling 1400x880 logical pixels
do not fit a 1920x1080 screen)."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QTabWidget, QWidget

SCREEN_SHARE = 0.92  # of the available screen area a first window takes at most


def fit_to_screen(window: QWidget, share: float = SCREEN_SHARE) -> None:
    """Shrink the window to `share` of its screen's available area (task bars excluded) when it is
    bigger, and keep it on that screen."""
    screen = window.screen()
    if screen is None:
        return
    area = screen.availableGeometry()
    w = min(window.width(), int(area.width() * share))
    h = min(window.height(), int(area.height() * share))
    if (w, h) != (window.width(), window.height()):
        window.resize(w, h)
    frame = window.frameGeometry()
    if not area.contains(frame):
        frame.moveCenter(area.center())
        window.move(frame.topLeft())


def _splitters(window: QWidget) -> dict[str, QSplitter]:
    return {name: s for name, s in (("top", getattr(window, "top_splitter", None)),
                                     ("edit", getattr(window, "edit_page", None))) if isinstance(s, QSplitter)}


def restore(window: QWidget, qsettings) -> None:
    geometry = qsettings.value("window/geometry")
    restored = isinstance(geometry, QByteArray) and not geometry.isEmpty() and window.restoreGeometry(geometry)
    for name, splitter in _splitters(window).items():
        state = qsettings.value(f"window/splitter_{name}")
        if isinstance(state, QByteArray) and not state.isEmpty():
            splitter.restoreState(state)
    if not window.isMaximized():
        # the first window takes at most most of the screen; a remembered size is kept while it fits
        # (one saved on a bigger screen, or at another scaling, is shrunk to this one)
        fit_to_screen(window, 1.0 if restored else SCREEN_SHARE)


def remember(window: QWidget, qsettings) -> None:
    qsettings.setValue("window/geometry", window.saveGeometry())
    for name, splitter in _splitters(window).items():
        qsettings.setValue(f"window/splitter_{name}", splitter.saveState())


def scrollable(widget: QWidget) -> QScrollArea:
    """`widget` in a scroll area: a side panel squeezed below its natural width scrolls instead of
    forcing the whole window wider than a small (or scaled) screen."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area


def shrinkable_tabs(tabs: QTabWidget) -> None:
    """Tabs that scroll (arrows) rather than widen the panel when they do not all fit."""
    tabs.setUsesScrollButtons(True)
    tabs.tabBar().setExpanding(False)
