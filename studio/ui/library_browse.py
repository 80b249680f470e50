"""Browsing a library tab as in CapCut: a search box (name, category and tags), a choice of All,
★ Favourites or Recent, favourites marked from the right-click menu, and recents recorded when an
item is used (double-click or drag). Favourites and recents are kept per tab in the user's
settings, so they survive a restart."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QListWidget, QMenu, QWidget

from .library_panels import TAGS  # extra words an item is found by (a sticker's tags and category)
MAX_RECENT = 12
SHOW = (("all", "All"), ("favourites", "★ Favourites"), ("recent", "Recent"))


class LibraryBrowser(QObject):
    """Search and favourites over one library list (`key` names it in the settings)."""

    def __init__(self, key: str, view: QListWidget, qsettings, parent: QWidget, search: QLineEdit | None = None,
                 menu: bool = True):
        """`search`: the panel's own search box, when it has one (the sounds search the library
        itself and rebuild their list); otherwise the bar brings one."""
        super().__init__(parent)
        self.key, self.view, self.q = key, view, qsettings
        self.bar = QWidget(parent)
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.own_search = search is None
        self.search = QLineEdit() if search is None else search
        if self.own_search:
            self.search.setPlaceholderText("Search name or tag")
            self.search.setClearButtonEnabled(True)
            self.search.textChanged.connect(self.apply)
        else:  # after the panel's rebuild of the list (connected before this), mark and filter again
            self.search.textChanged.connect(lambda _: (self._mark_favourites(), self.apply()))
        self.show_combo = QComboBox()
        for value, title in SHOW:
            self.show_combo.addItem(title, value)
        self.show_combo.currentIndexChanged.connect(self.apply)
        if self.own_search:
            row.addWidget(self.search, 1)
        else:
            row.addStretch(1)
        row.addWidget(self.show_combo)
        if menu:  # (a panel with a menu of its own, the media bin, adds the ★ entry to it instead)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(self._menu_at)
        view.itemDoubleClicked.connect(lambda it: self.used(self._id(it)))
        self._mark_favourites()

    # -- stored lists ---------------------------------------------------------------------------
    def _list(self, name: str) -> list[str]:
        value = self.q.value(f"library/{self.key}/{name}", [])
        return [value] if isinstance(value, str) else [str(v) for v in (value or [])]

    def favourites(self) -> list[str]:
        return self._list("favourites")

    def recents(self) -> list[str]:
        return self._list("recent")

    def used(self, item_id: str | None) -> None:
        if item_id:
            self.q.setValue(f"library/{self.key}/recent", ([item_id] + [r for r in self.recents() if r != item_id])[:MAX_RECENT])
            if self.show_combo.currentData() == "recent":
                self.apply()

    def toggle_favourite(self, item_id: str) -> bool:
        """Marks or unmarks `item_id`; True when it is now a favourite."""
        favs = self.favourites()
        now = item_id not in favs
        favs = favs + [item_id] if now else [f for f in favs if f != item_id]
        self.q.setValue(f"library/{self.key}/favourites", favs)
        self._mark_favourites()
        self.apply()
        return now

    # -- the view -------------------------------------------------------------------------------
    @staticmethod
    def _id(item) -> str | None:
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value is not None else None

    def _mark_favourites(self) -> None:
        favs = set(self.favourites())
        for i in range(self.view.count()):
            item = self.view.item(i)
            title = item.text().removeprefix("★ ")
            item.setText(f"★ {title}" if self._id(item) in favs else title)

    def matches(self, item) -> bool:
        words = self.search.text().casefold().split() if self.own_search else []  # else: the panel searched
        found = " ".join(str(v) for v in (item.text(), item.toolTip(), item.data(TAGS) or "")).casefold()
        if not all(w in found for w in words):
            return False
        show = self.show_combo.currentData()
        if show == "favourites":
            return self._id(item) in self.favourites()
        if show == "recent":
            return self._id(item) in self.recents()
        return True

    def apply(self, *_) -> None:
        for i in range(self.view.count()):
            item = self.view.item(i)
            item.setHidden(not self.matches(item))

    def refresh(self) -> None:
        """Marks and filtering again, after the panel added items."""
        self._mark_favourites()
        self.apply()

    def visible_ids(self) -> list[str]:
        return [self._id(self.view.item(i)) for i in range(self.view.count()) if not self.view.item(i).isHidden()]

    def menu_for(self, item) -> QMenu:
        menu = QMenu(self.view)
        item_id = self._id(item)
        fav = item_id in self.favourites()
        menu.addAction("Use" if self.key != "stickers" else "Add at playhead",
                       lambda: (self.view.itemDoubleClicked.emit(item)))
        menu.addAction("Remove from favourites" if fav else "★ Add to favourites",
                       lambda: self.toggle_favourite(item_id))
        return menu

    def _menu_at(self, pos) -> None:
        item = self.view.itemAt(pos)
        if item is not None:
            self.menu_for(item).exec(self.view.viewport().mapToGlobal(pos))


def install(tabs, qsettings) -> dict[str, LibraryBrowser]:
    """A browser on the media bin (its own menu gets the ★ entry), the sounds (with their own
    search) and each tab whose items are fixed (stickers, effects, looks, text styles,
    transitions), its bar above the list."""
    out = {}
    media = getattr(tabs, "media", None)
    if media is not None and media.layout() is not None:
        browser = LibraryBrowser("media", media.list, qsettings, media, menu=False)
        media.layout().insertWidget(1, browser.bar)  # under Import / Add to timeline
        media.browser = browser
        browser.refresh()
        out["media"] = browser
    sounds = getattr(tabs, "sounds", None)
    if sounds is not None and sounds.layout() is not None:
        browser = LibraryBrowser("sounds", sounds.list, qsettings, sounds, search=sounds.search)
        sounds.layout().insertWidget(1, browser.bar)  # under the sounds' own search
        out["sounds"] = browser
    for key in ("stickers", "effects", "looks", "text", "transitions"):
        panel = getattr(tabs, key, None)
        view = getattr(panel, "list", None)
        if view is None or panel.layout() is None:
            continue
        browser = LibraryBrowser(key, view, qsettings, panel)
        panel.layout().insertWidget(0, browser.bar)
        out[key] = browser
    return out
