"""The start screen: what a creator sees first — New project, Open…, From a template…, and the
recent projects as covers (each project's cover frame, rendered by the engine in the background),
a double-click away. File ▸ Start screen… shows it again."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QCheckBox, QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout)

from .tasks import Tasks

COVER = QSize(90, 160)


def render_cover(path: str) -> np.ndarray | None:
    """A recent project's cover frame at thumbnail size (None when it cannot be read or drawn)."""
    from studio.model import load_project
    from studio.render.compositor import render_frame

    try:
        project = load_project(path)
        if project.duration <= 0:
            return None
        frame = min(project.metadata.cover_frame, project.duration - 1)
        return render_frame(project, frame, (COVER.width(), COVER.height()))
    except Exception:  # a moved or broken project, media that no longer decodes: listed, without a cover
        return None


def _icon(rgb: np.ndarray) -> QIcon:
    h, w = rgb.shape[:2]
    image = QImage(np.ascontiguousarray(rgb).tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    return QIcon(QPixmap.fromImage(image))


class StartScreen(QDialog):
    """`choice` after it closes: ("new", None), ("open", None), ("template", None),
    ("recent", path) or ("continue", None)."""

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Studio — start")
        self.settings = settings
        self.choice: tuple[str, str | None] = ("continue", None)
        self.tasks = Tasks(self)
        title = QLabel("Make a short")
        title.setObjectName("panelTitle")
        buttons = QHBoxLayout()
        for key, text, tip in (("new", "＋ &New project", "An empty project (Ctrl+N)"),
                               ("template", "▦ From a &template…", "Fill a template with your clips"),
                               ("open", "&Open…", "Open a project file")):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            if key == "new":
                b.setObjectName("primary")
            buttons.addWidget(b)
            setattr(self, f"{key}_button", b)
        self.recent = QListWidget()
        self.recent.setViewMode(QListWidget.ViewMode.IconMode)
        self.recent.setIconSize(COVER)
        self.recent.setGridSize(QSize(COVER.width() + 60, COVER.height() + 2 * self.fontMetrics().height() + 14))
        self.recent.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.recent.setMovement(QListWidget.Movement.Static)
        self.recent.setWordWrap(True)
        self.recent.itemActivated.connect(lambda it: self._choose("recent", it.data(Qt.ItemDataRole.UserRole)))
        recents = [p for p in settings.recent_files() if Path(p).exists()]
        for path in recents:
            item = QListWidgetItem(Path(path).stem.replace("_", " "))
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
            self.tasks.run(render_cover, path, name="cover",
                           on_done=lambda rgb, it=item: it.setIcon(_icon(rgb)) if rgb is not None else None,
                           on_failed=lambda exc: None)
        self.empty = QLabel("No recent projects yet: start a new one, or from a template.")
        self.empty.setObjectName("hint")
        self.empty.setVisible(not recents)
        self.show_at_start = QCheckBox("Show this at start")
        self.show_at_start.setChecked(bool(settings.q.value("start/show", True, type=bool)))
        self.show_at_start.toggled.connect(lambda on: settings.q.setValue("start/show", on))
        skip = QPushButton("Continue")
        skip.clicked.connect(lambda: self._choose("continue"))
        foot = QHBoxLayout()
        foot.addWidget(self.show_at_start)
        foot.addStretch(1)
        foot.addWidget(skip)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(buttons)
        recent_title = QLabel("Recent projects")
        recent_title.setObjectName("panelTitle")
        layout.addWidget(recent_title)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.empty)
        layout.addLayout(foot)
        self.resize(720, 480)

    def _choose(self, key: str, path: str | None = None) -> None:
        self.choice = (key, path)
        self.accept()

    def done(self, result: int) -> None:
        self.tasks.wait()  # covers still being drawn finish (a fraction of a second each): no thread outlives it
        super().done(result)


def show_start(window) -> tuple[str, str | None]:
    """Shows the start screen over `window` and acts on the choice (returns it)."""
    dialog = StartScreen(window.settings, window)
    dialog.exec()
    act_on(window, dialog.choice)
    return dialog.choice


def act_on(window, choice: tuple[str, str | None]) -> None:
    key, path = choice
    if key == "new":
        window.new_project()
    elif key == "open":
        window.open_dialog()
    elif key == "template":
        window.open_templates()
    elif key == "recent" and path:
        window.open_path(Path(path))
