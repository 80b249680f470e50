"""The AR accessory / sticker picker: a button showing the chosen sticker's picture that opens a
thumbnail grid — AR accessories (the ones that sit on a face) first, then the other stickers — with
a search box, instead of a text list of dozens of names. Titles that two stickers share are told
apart ("Heart eyes" the AR accessory, "Heart eyes · emoji" the sticker)."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QLineEdit, QListWidget, QListWidgetItem, QMenu, QToolButton, QVBoxLayout, QWidget,
                               QWidgetAction)

ICON = 48


def sticker_entries() -> list[tuple[str, str, bool]]:
    """(id, shown title, is an AR accessory), accessories first; shared titles made distinct."""
    from studio.library.stickers import list_stickers

    stickers = sorted(list_stickers(), key=lambda s: (s.anchor is None, s.title.casefold()))
    shared = {t for t, n in Counter(s.title for s in stickers).items() if n > 1}
    return [(s.id, s.title if s.anchor is not None or s.title not in shared else f"{s.title} · {s.category}",
             s.anchor is not None) for s in stickers]


@lru_cache(maxsize=128)
def sticker_icon(sticker_id: str, size: int = ICON) -> QIcon:
    """The sticker's first frame as an icon (an empty one when it cannot be read)."""
    from studio.library.errors import LibraryError
    from studio.library.stickers import get_sticker, load_sticker_frames

    try:
        rgba = load_sticker_frames(get_sticker(sticker_id), size)[0]
    except (LibraryError, OSError, ValueError, IndexError):
        return QIcon()
    h, w = rgba.shape[:2]
    image = QImage(rgba.tobytes(), w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
    return QIcon(QPixmap.fromImage(image))


class StickerPicker(QToolButton):
    """Shows the chosen sticker; clicking opens the grid. `chosen` carries a picked id."""
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(28, 28))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.entries = sticker_entries()
        self.titles = {sid: title for sid, title, _ in self.entries}
        self._value = None
        self.grid = QListWidget()
        self.grid.setViewMode(QListWidget.ViewMode.IconMode)
        self.grid.setIconSize(QSize(ICON, ICON))
        self.grid.setGridSize(QSize(ICON + 46, ICON + 2 * self.fontMetrics().height() + 12))
        self.grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.grid.setMovement(QListWidget.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setMinimumSize(5 * (ICON + 46) + 24, 320)
        for sid, title, ar in self.entries:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, sid)
            item.setToolTip(f"{title} — {'AR accessory: sits on the face' if ar else 'sticker'}")
            self.grid.addItem(item)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search stickers")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.grid)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(box)
        menu.addAction(action)
        menu.aboutToShow.connect(self._load_icons)
        self.setMenu(menu)
        self.grid.itemClicked.connect(self._picked)

    def _load_icons(self) -> None:
        for i in range(self.grid.count()):
            item = self.grid.item(i)
            if item.icon().isNull():
                item.setIcon(sticker_icon(item.data(Qt.ItemDataRole.UserRole)))
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for i in range(self.grid.count()):
            item = self.grid.item(i)
            found = f"{item.text()} {item.data(Qt.ItemDataRole.UserRole)}".casefold()
            item.setHidden(not all(w in found for w in words))

    def _picked(self, item: QListWidgetItem) -> None:
        self.menu().hide()
        sid = item.data(Qt.ItemDataRole.UserRole)
        if sid != self._value:
            self.chosen.emit(sid)

    def set_value(self, sticker_id) -> None:
        self._value = sticker_id
        self.setText(self.titles.get(sticker_id, str(sticker_id)))
        self.setIcon(sticker_icon(str(sticker_id), 28))
        for i in range(self.grid.count()):
            item = self.grid.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == sticker_id:
                self.grid.setCurrentItem(item)
                break

    def value(self):
        return self._value
