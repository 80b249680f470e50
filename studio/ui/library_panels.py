"""Library panels: media bin, sounds, stickers, effects, looks, text styles and transitions
(transitions_panel.py). They only show what the library layers list and call EditActions; drags
carry a small 'kind:id' payload."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from studio.effects.registry import default_registry
from studio.library.looks import list_looks
from studio.library.sounds import SoundLibrary
from studio.library.stickers import list_stickers
from studio.library.styles import list_styles
from studio.media.errors import MediaError
from studio.media.probe import probe
from studio.model import Clip, SoundItem, kind_of

from .actions import AUDIO_SUFFIXES, VIDEO_SUFFIXES
from .timeline_view import LIBRARY_MIME

PAYLOAD = Qt.ItemDataRole.UserRole + 1
TAGS = Qt.ItemDataRole.UserRole + 7  # words an item is found by in the library search (library_browse)


class LibraryList(QListWidget):
    """A list whose items drag a 'kind:id' payload onto the timeline."""

    def __init__(self, icon_mode: bool = False, icon: QSize = QSize(64, 64)):
        super().__init__()
        self.setDragEnabled(True)
        self.setIconSize(icon)
        if icon_mode:
            self.setViewMode(QListWidget.ViewMode.IconMode)
            self.setResizeMode(QListWidget.ResizeMode.Adjust)
            self.setMovement(QListWidget.Movement.Static)
            # room for a title of two lines as wide as "Background blur" (no "Backgro…" cut)
            self.setGridSize(QSize(max(icon.width() + 40, 104), icon.height() + 2 * self.fontMetrics().height() + 14))
            self.setWordWrap(True)
            self.setTextElideMode(Qt.TextElideMode.ElideNone)
        # uniform sizes take the first item's height for all: a one-line first title would cut
        # every other title to one line ("Backgro…")
        self.setUniformItemSizes(not icon_mode)

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(LIBRARY_MIME, str(items[0].data(PAYLOAD)).encode())
        return mime


class _MediaList(LibraryList):
    """The media bin's list: Delete/Backspace remove the selected files from the bin. It claims
    those keys while it has focus, so the window's Delete (which acts on the timeline selection)
    does not fire from here."""

    def __init__(self, on_remove, **kw):
        super().__init__(**kw)
        self._on_remove = on_remove

    @staticmethod
    def _remove_key(event) -> bool:
        return event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._remove_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if self._remove_key(event):
            self._on_remove()
            return
        super().keyPressEvent(event)


def _placeholder(size: QSize, colour: str = "#2a2a33", text: str = "") -> QIcon:
    pix = QPixmap(size)
    pix.fill(QColor(colour))
    if text:
        from PySide6.QtGui import QPainter

        p = QPainter(pix)
        p.setPen(QColor("#e0e0ea"))
        p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        p.end()
    return QIcon(pix)


def _panel(*widgets, stretch_index: int = -1) -> QWidget:
    w = QWidget()
    v = QVBoxLayout(w)
    v.setContentsMargins(4, 4, 4, 4)
    for i, child in enumerate(widgets):
        if isinstance(child, QHBoxLayout):
            v.addLayout(child)
        else:
            v.addWidget(child, 1 if i == stretch_index else 0)
    return w


class MediaBin(QWidget):
    """Imported media with thumbnails, duration and size; import by dialog or drag-and-drop."""

    def __init__(self, document, actions, thumbnails, parent=None):
        super().__init__(parent)
        self.document, self.actions, self.thumbnails = document, actions, thumbnails
        self.paths: list[Path] = []
        self._info: dict[Path, str] = {}
        self.browser = None  # search, favourites and recents (library_browse.install sets it)
        self.list = _MediaList(self.remove_selected, icon_mode=False, icon=QSize(54, 96))
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemDoubleClicked.connect(lambda it: self.actions.add_media(Path(it.data(Qt.ItemDataRole.UserRole))))
        importer = QPushButton("Import media…")
        importer.clicked.connect(self.import_dialog)
        add = QPushButton("Add to timeline")
        add.clicked.connect(self._add_selected)
        row = QHBoxLayout()
        row.addWidget(importer)
        row.addWidget(add)
        hint = QLabel("Drop videos, photos or audio here. Delete removes from the bin.")
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        self.setAcceptDrops(True)
        document.project_changed.connect(lambda _: self.sync_from_project())
        actions.media_imported.connect(self.add_path)
        thumbnails.ready.connect(self._thumb_ready)
        self.sync_from_project()

    def sync_from_project(self) -> None:
        for item in self.document.project.timeline.all_items():
            if isinstance(item, Clip) or (isinstance(item, SoundItem) and ("/" in item.source or "\\" in item.source)):
                self.add_path(Path(item.source))

    def add_path(self, path: Path) -> None:
        path = Path(path)
        if path in self.paths:
            return
        self.paths.append(path)
        try:
            info = probe(path)
            size = f"{info.width}×{info.height}" if info.kind != "audio" else f"{info.audio_rate // 1000} kHz audio"
            length = "still" if info.kind == "image" else f"{info.duration:.1f} s"
            detail = f"{length} · {size}"
            kind = info.kind
        except MediaError as exc:
            detail, kind = f"missing or unreadable ({exc.__class__.__name__})", "missing"
        item = QListWidgetItem(f"{path.name}\n{detail}")
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setData(PAYLOAD, f"media:{path}")
        item.setToolTip(str(path))
        item.setIcon(_placeholder(QSize(54, 96), text="♪" if kind == "audio" else ""))
        self.list.addItem(item)
        if kind in ("video", "image"):
            self._apply_thumb(item, path)
        if self.browser is not None:  # a new file takes its ★ and the current search/filter
            self.browser.refresh()

    def used_paths(self) -> set[Path]:
        return {Path(i.source) for i in self.document.project.timeline.all_items() if kind_of(i).has_media_source}

    def remove_paths(self, paths) -> list[Path]:
        """Take files off the bin (never off the disk). Files the timeline uses stay: the bin
        shows what the project holds, and relinking is the way to replace a missing one."""
        used = self.used_paths()
        removed, kept = [], []
        for path in map(Path, paths):
            if path not in self.paths:
                continue
            if path in used:
                kept.append(path)
                continue
            row = self.paths.index(path)
            self.paths.pop(row)
            self.list.takeItem(row)
            removed.append(path)
        if kept:
            self.actions.status.emit(f"{kept[0].name} is used on the timeline: delete its clips first"
                                     + (f" (and {len(kept) - 1} more)" if len(kept) > 1 else ""))
        elif removed:
            self.actions.status.emit(f"Removed {removed[0].name} from the media bin (the file stays on disk)"
                                     if len(removed) == 1 else f"Removed {len(removed)} files from the media bin")
        return removed

    def remove_selected(self) -> list[Path]:
        return self.remove_paths([it.data(Qt.ItemDataRole.UserRole) for it in self.list.selectedItems()])

    def _context_menu(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        if not item.isSelected():
            self.list.setCurrentItem(item)
        self.context_menu().exec(self.list.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The menu for the selected files (its actions act on the selection)."""
        menu = QMenu(self)
        menu.addAction("Add to timeline", self._add_selected)
        pip = menu.addAction("Add as picture-in-picture", self.add_selected_as_pip)
        pip.setToolTip("On a new layer above, at the playhead, in the corner")
        pip.setEnabled(any(Path(p).suffix.lower() in VIDEO_SUFFIXES for p in self.selected_paths()))
        selected = self.selected_paths()
        if self.browser is not None and len(selected) == 1:
            fav = str(selected[0]) in self.browser.favourites()
            menu.addAction("Remove from favourites" if fav else "★ Add to favourites",
                           lambda: self.browser.toggle_favourite(str(selected[0])))
        menu.addSeparator()
        menu.addAction("Remove from media bin", self.remove_selected)
        return menu

    def selected_paths(self) -> list[Path]:
        return [Path(it.data(Qt.ItemDataRole.UserRole)) for it in self.list.selectedItems()]

    def add_selected_as_pip(self) -> bool:
        """Each selected picture on its own new layer above, at the playhead (one undo step each)."""
        ok = False
        for path in self.selected_paths():
            if path.suffix.lower() in VIDEO_SUFFIXES:
                ok = self.actions.layers.add_as_pip(path) or ok
        return ok

    def _apply_thumb(self, item: QListWidgetItem, path: Path) -> None:
        image = self.thumbnails.frame(str(path), 0.5, 96)
        if image:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _thumb_ready(self, key) -> None:
        if key[0] != "frame" or key[3] != 96:
            return
        for i in range(self.list.count()):
            it = self.list.item(i)
            if it.data(Qt.ItemDataRole.UserRole) == key[1]:
                self._apply_thumb(it, Path(key[1]))

    def import_dialog(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(VIDEO_SUFFIXES | AUDIO_SUFFIXES))
        files, _ = QFileDialog.getOpenFileNames(self, "Import media", "", f"Media ({patterns});;All files (*)")
        for f in files:
            self.import_path(Path(f))

    def import_path(self, path: Path, add: bool = False) -> None:
        self.add_path(path)
        if add:
            self.actions.add_media(path)

    def _add_selected(self) -> None:
        for it in self.list.selectedItems():
            self.actions.add_media(Path(it.data(Qt.ItemDataRole.UserRole)))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.import_path(Path(url.toLocalFile()))
        event.acceptProposedAction()


class SoundsPanel(QWidget):
    """Search by title, mood, tag or BPM; play a preview; add to the timeline. Your own sounds come
    in by "Import sound…" or by dropping audio or video files here: the import (decode, measure the
    tempo and beats, keep a copy) runs off the UI thread, then the sound is listed and selected."""

    def __init__(self, actions, parent=None):
        super().__init__(parent)
        from .tasks import Tasks

        self.actions = actions
        self.library = SoundLibrary()
        self.tasks = Tasks(self)  # imports of the user's own sounds
        self._player = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search title, mood, tag or BPM (e.g. chill, 120 bpm)")
        self.search.textChanged.connect(self.refresh)
        self.list = LibraryList()
        self.list.itemDoubleClicked.connect(lambda it: self.actions.add_library_sound(it.data(Qt.ItemDataRole.UserRole)))
        self.play_button = QPushButton("▶ Preview")
        self.play_button.clicked.connect(self.toggle_preview)
        add = QPushButton("Add to timeline")
        add.clicked.connect(self._add)
        self.import_button = QPushButton("Import sound…")
        self.import_button.setToolTip("Add an audio file, or the sound of a video, to your sounds (or drop files here)")
        self.import_button.clicked.connect(self.import_dialog)
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(add)
        row.addWidget(self.import_button)
        self.status_label = QLabel("Drop audio or video files here to add them to your sounds.")
        self.status_label.setObjectName("hint")
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        self.setAcceptDrops(True)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for s in self.library.search(self.search.text()):
            label = s.mood or ("original sound" if s.origin == "video" else "your sound" if s.user else "")
            detail = " · ".join(part for part in (label, f"{s.bpm:.0f} BPM" if s.bpm else "",
                                                  f"{int(s.duration // 60)}:{int(round(s.duration) % 60):02d}") if part)
            item = QListWidgetItem(f"{'♫' if s.kind == 'music' else '✦'}  {s.title}\n     {detail}")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setData(PAYLOAD, f"sound:{s.id}")
            source = f"; from {s.source_name}" if s.source_name else ""
            item.setToolTip(f"{s.title} — {s.artist} ({s.licence}); tags: {', '.join(s.tags)}{source}")
            self.list.addItem(item)

    def _say(self, message: str) -> None:
        self.status_label.setText(message)
        self.actions.status.emit(message)

    def import_dialog(self) -> None:
        videos = {s for s in VIDEO_SUFFIXES if s not in (".png", ".jpg", ".jpeg", ".webp", ".bmp")}
        patterns = " ".join(f"*{s}" for s in sorted(AUDIO_SUFFIXES | videos))
        files, _ = QFileDialog.getOpenFileNames(self, "Import sound", "", f"Audio and video ({patterns});;All files (*)")
        for f in files:
            self.import_file(Path(f))

    def import_file(self, path: Path):
        """Import `path` as one of your sounds in the background (under a free name: a file dropped
        twice is kept twice). Returns the Task."""
        from studio.library_listing import import_sound

        path = Path(path)
        self._say(f"Importing {path.name}: measuring its tempo…")
        return self.tasks.run(import_sound, path, keep_both=True, name="sound-import", on_done=self._imported,
                              on_failed=lambda exc: self._imported_failed(path, exc))

    def _imported(self, sound) -> None:
        if self.search.text():
            self.search.clear()  # refreshes: a filter must not hide the sound just added
        else:
            self.refresh()
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == sound.id:
                self.list.setCurrentRow(i)
                self.list.scrollToItem(self.list.item(i))
                break
        from studio.library_listing import clock

        tempo = f"{sound.bpm:.0f} BPM" if sound.bpm is not None else "no steady beat"
        self._say(f"Added “{sound.title}” to your sounds ({tempo}, {clock(sound.duration)})")

    def _imported_failed(self, path: Path, exc: BaseException) -> None:
        from .tasks import one_line

        message = one_line(exc)
        self._say(message if path.name in message else f"{path.name}: {message}")

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.import_file(Path(url.toLocalFile()))
        event.acceptProposedAction()

    def selected_id(self) -> str | None:
        it = self.list.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def _add(self) -> None:
        if self.selected_id():
            self.actions.add_library_sound(self.selected_id())

    def toggle_preview(self) -> None:
        if self._player is not None:
            self.stop_preview()
            return
        sound_id = self.selected_id()
        if not sound_id:
            return
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        except ImportError:
            self.actions.status.emit("sound preview unavailable: QtMultimedia could not load")
            return
        if QMediaDevices.defaultAudioOutput().isNull():
            self.actions.status.emit("no audio output device: cannot preview sounds")
            return
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.setSource(QUrl.fromLocalFile(str(self.library.get(sound_id).path)))
        self._player.mediaStatusChanged.connect(
            lambda st: self.stop_preview() if st == QMediaPlayer.MediaStatus.EndOfMedia else None)
        self._player.play()
        self.play_button.setText("■ Stop")

    def stop_preview(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.deleteLater()
            self._output.deleteLater()
            self._player = None
        self.play_button.setText("▶ Preview")


class StickersPanel(QWidget):
    """Sticker grid; animated stickers animate."""

    def __init__(self, actions, thumbnails, parent=None):
        super().__init__(parent)
        self.actions, self.thumbnails = actions, thumbnails
        self.stickers = [s for s in list_stickers() if s.anchor is None]
        self.list = LibraryList(icon_mode=True, icon=QSize(56, 56))
        self.list.itemDoubleClicked.connect(lambda it: self.actions.add_sticker(it.data(Qt.ItemDataRole.UserRole)))
        self._tick = 0
        for s in self.stickers:
            item = QListWidgetItem(s.title + (" ▸" if s.animated else ""))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setData(TAGS, " ".join((s.category, *s.tags)))  # found by "love", "party", ...
            item.setData(PAYLOAD, f"sticker:{s.id}")
            self.list.addItem(item)
        add = QPushButton("Add at playhead")
        add.clicked.connect(lambda: self.list.currentItem() and self.actions.add_sticker(
            self.list.currentItem().data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(add)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.animate)
        self.timer.start(120)
        thumbnails.ready.connect(lambda key: self.animate(advance=False) if key[0] == "sticker" else None)
        self.animate(advance=False)

    def animate(self, advance: bool = True) -> None:
        if advance:
            if not self.isVisible():
                return
            self._tick += 1
        for i, s in enumerate(self.stickers):
            if advance and not s.animated:
                continue
            frames = self.thumbnails.sticker(s.id, 56)
            if frames:
                index = int(self._tick * 0.12 * s.fps) % len(frames) if s.animated else 0
                self.list.item(i).setIcon(QIcon(QPixmap.fromImage(frames[index])))


class IconGridPanel(QWidget):
    """A grid of thumbnails with an 'apply' action (effects, looks, text styles)."""

    def __init__(self, entries, on_apply, thumb_for, button_text: str, kind: str, thumbnails=None, parent=None):
        super().__init__(parent)
        self.entries, self.on_apply, self.thumb_for = entries, on_apply, thumb_for
        self.list = LibraryList(icon_mode=True, icon=QSize(60, 80))
        for key, title, tip in entries:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setData(PAYLOAD, f"{kind}:{key}")
            item.setToolTip(tip)
            item.setIcon(_placeholder(QSize(60, 80)))
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda it: on_apply(it.data(Qt.ItemDataRole.UserRole)))
        button = QPushButton(button_text)
        button.clicked.connect(lambda: self.list.currentItem() and on_apply(
            self.list.currentItem().data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(button)
        if thumbnails is not None:
            thumbnails.ready.connect(lambda _: self.update_icons())
        self.update_icons()

    def update_icons(self) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            image = self.thumb_for(item.data(Qt.ItemDataRole.UserRole))
            if image:
                item.setIcon(QIcon(QPixmap.fromImage(image)))


def _style_preview(style) -> QImage:
    """A text style rendered by the same rasteriser the export uses."""
    from studio.render.text import rasterise, wrap

    from .render_worker import to_qimage

    layout = wrap("Aa", style, 40, 200)
    rgba = rasterise(layout, style, 40 / style.font_size)
    h, w = rgba.shape[:2]
    import numpy as np

    background = np.full((max(h, 80), max(w, 60), 3), 60, np.uint8)
    y0, x0 = (background.shape[0] - h) // 2, (background.shape[1] - w) // 2
    alpha = rgba[..., 3:4].astype(np.float32) / 255
    region = background[y0:y0 + h, x0:x0 + w]
    background[y0:y0 + h, x0:x0 + w] = (rgba[..., :3] * alpha + region * (1 - alpha)).astype(np.uint8)
    return to_qimage(background)


class LibraryTabs(QTabWidget):
    def __init__(self, document, actions, thumbnails, parent=None):
        super().__init__(parent)
        self.setStyleSheet("QTabBar::tab { padding: 6px 6px; }")  # seven tabs fit the panel's width
        self.media = MediaBin(document, actions, thumbnails)
        self.sounds = SoundsPanel(actions)
        self.stickers = StickersPanel(actions, thumbnails)
        registry = default_registry()
        self.effects = IconGridPanel(
            [(e.id, e.title, f"{e.category}" + (f" — needs a tracked {', '.join(sorted(e.needs))}" if e.needs else ""))
             for e in registry.list()],
            actions.apply_effect, thumbnails.effect, "Apply to clip", "effect", thumbnails)
        self.looks = IconGridPanel([(lk.id, lk.title, lk.title) for lk in list_looks()], actions.apply_look,
                                   thumbnails.look, "Apply look to clip", "look", thumbnails)
        styles = list_styles()
        previews: dict = {}

        def style_thumb(style_id):
            if style_id not in previews:
                try:
                    previews[style_id] = _style_preview(next(s for s in styles if s.id == style_id))
                except Exception:
                    previews[style_id] = None
            return previews[style_id]

        self.text = IconGridPanel([(s.id, s.title, s.title) for s in styles], lambda sid: actions.add_text(sid),
                                  style_thumb, "Add text at playhead", "text")
        self.addTab(self.media, "Media")
        self.addTab(self.sounds, "Sounds")
        self.addTab(self.text, "Text")
        self.addTab(self.stickers, "Stickers")
        self.addTab(self.effects, "Effects")
        self.addTab(self.looks, "Looks")
        from .transitions_panel import TransitionsPanel

        self.transitions = TransitionsPanel(actions)
        self.addTab(self.transitions, "Transitions")

    def shutdown(self) -> None:
        self.sounds.stop_preview()
        self.stickers.timer.stop()
        self.transitions.shutdown()

