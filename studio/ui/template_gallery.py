"""The template gallery: every template with its animated preview (it plays while the pointer is
on it, or when it is selected), what it asks for, its text slots; "Use template" picks the media
and the filled project opens in Edit mode. Filling runs off the UI thread (it looks for each
video's liveliest part). Like the library tabs, the gallery searches by name and description, and
keeps favourites (right-click) and recently used templates in the user's settings."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImageReader, QMovie, QPixmap
from PySide6.QtWidgets import (QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from .library_browse import LibraryBrowser
from .library_panels import TAGS
from .tasks import Tasks, one_line

MEDIA_FILTER = "Videos and photos (*.mp4 *.mov *.mkv *.webm *.m4v *.jpg *.jpeg *.png *.webp)"
ICON = QSize(72, 128)


def _first_frame(path: Path | None):
    if path is None or not Path(path).is_file():
        return None
    reader = QImageReader(str(path))
    image = reader.read()
    return None if image.isNull() else image


class TemplateGallery(QDialog):
    """applied(Project) when a template has been filled with the creator's media."""

    applied = Signal(object)

    def __init__(self, parent=None, qsettings=None):
        """`qsettings`: where favourites and recents are kept (the window's settings); without it
        the gallery has no favourites bar."""
        from studio.templates import list_templates

        super().__init__(parent)
        self.setWindowTitle("Templates")
        self.setMinimumSize(860, 600)
        self.templates = {t.id: t for t in list_templates()}
        self.tasks = Tasks(self)
        self.result_project = None
        self.error = ""
        self.grid = QListWidget()
        self.grid.setViewMode(QListWidget.ViewMode.IconMode)
        self.grid.setIconSize(ICON)
        self.grid.setGridSize(QSize(ICON.width() + 40, ICON.height() + 44))
        self.grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.grid.setMovement(QListWidget.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setMouseTracking(True)  # itemEntered: the preview under the pointer plays
        for t in self.templates.values():
            item = QListWidgetItem(t.title + ("  (yours)" if t.user else ""))
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            item.setToolTip(t.description)
            item.setData(TAGS, " ".join((t.id, t.sound or "")))
            image = _first_frame(t.preview)
            if image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))
            self.grid.addItem(item)
        self.grid.itemEntered.connect(lambda it: self.play(it.data(Qt.ItemDataRole.UserRole)))
        self.grid.currentItemChanged.connect(lambda it, _: it and self.show_template(it.data(Qt.ItemDataRole.UserRole)))
        self.grid.itemDoubleClicked.connect(lambda _: self.use_template())

        self.preview = QLabel()
        self.preview.setFixedSize(180, 320)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #000;")
        self.movie: QMovie | None = None
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setObjectName("hint")
        self.text_form = QFormLayout()
        self.text_fields: dict[str, QLineEdit] = {}
        self.use_button = QPushButton("Use template…")
        self.use_button.setObjectName("primary")
        self.use_button.clicked.connect(lambda: self.use_template())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.title)
        side.addWidget(self.details)
        texts = QWidget()
        texts.setLayout(self.text_form)
        side.addWidget(texts)
        side.addStretch(1)
        side.addWidget(self.status)
        side.addWidget(self.use_button)
        self.browser = None
        left = QVBoxLayout()
        if qsettings is not None:
            self.browser = LibraryBrowser("templates", self.grid, qsettings, self)
            self.browser.search.setPlaceholderText("Search templates")
            left.addWidget(self.browser.bar)
        left.addWidget(self.grid, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(side, 2)
        if self.grid.count():
            self.grid.setCurrentRow(0)

    # -- showing ---------------------------------------------------------------------------------
    @property
    def current_id(self) -> str | None:
        item = self.grid.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def play(self, template_id: str) -> None:
        """The template's animated preview in the side panel (hover or selection)."""
        t = self.templates.get(template_id)
        if self.movie is not None:
            self.movie.stop()
            self.movie.deleteLater()
            self.movie = None
        if t is None or t.preview is None or not Path(t.preview).is_file():
            self.preview.setText("no preview")
            return
        self.movie = QMovie(str(t.preview), parent=self)
        self.movie.setScaledSize(QSize(180, 320))
        self.preview.setMovie(self.movie)
        self.movie.start()

    def show_template(self, template_id: str) -> None:
        t = self.templates[template_id]
        self.play(template_id)
        self.title.setText(t.title)
        media = f"{t.media_count} video{'s' if t.media_count != 1 else ''} or photo{'s' if t.media_count != 1 else ''}"
        sound = f" · sound: {t.sound}" if t.sound else ""
        self.details.setText(f"{t.description}\n\n{t.duration_seconds:.1f} s · {len(t.slots)} slots, "
                             f"asks for {media} (fewer are repeated){sound}")
        while self.text_form.rowCount():
            self.text_form.removeRow(0)
        self.text_fields = {}
        for slot in t.texts:
            field = QLineEdit()
            field.setPlaceholderText(t.placeholder(slot.id))
            self.text_form.addRow(slot.label or slot.id, field)
            self.text_fields[slot.id] = field
        self.status.setText("")

    # -- using -----------------------------------------------------------------------------------
    def texts(self) -> dict[str, str]:
        """The words typed for each text slot (slots left empty keep the template's words)."""
        return {k: f.text() for k, f in self.text_fields.items() if f.text().strip()}

    def use_template(self, media: list | None = None) -> bool:
        """Fill the current template with `media` (a file dialog asks when None)."""
        template_id = self.current_id
        if template_id is None or self.tasks.running:
            return False
        t = self.templates[template_id]
        if self.browser is not None:
            self.browser.used(template_id)
        if media is None:
            files, _ = QFileDialog.getOpenFileNames(self, f"Media for “{t.title}” ({t.media_count} wanted)", "",
                                                    MEDIA_FILTER)
            if not files:
                return False
            media = files
        from studio.templates import apply_template

        self.use_button.setEnabled(False)
        self.status.setText(f"Filling “{t.title}” with {len(media)} file(s): finding the liveliest parts…")
        self.tasks.run(apply_template, t, [str(m) for m in media], self.texts(), name="template",
                       on_done=self._filled, on_failed=self._failed)
        return True

    def _filled(self, project) -> None:
        self.use_button.setEnabled(True)
        self.result_project = project
        self.status.setText("")
        self.applied.emit(project)
        self.accept()

    def _failed(self, exc) -> None:
        self.use_button.setEnabled(True)
        self.error = one_line(exc)
        self.status.setText(f"⛔ {self.error}")

    def shutdown(self) -> None:
        self.tasks.wait_all(timeout=60)
        if self.movie is not None:
            self.movie.stop()
