"""Record mode's "Add sound": pick what to record to — a library sound, an audio file, or the
original sound of a video — and where in it to start."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout)

from studio.capture.backing import SoundChoice, parse_start
from studio.capture.errors import CaptureError
from studio.library.sounds import list_sounds

MEDIA_FILTER = "Sound or video (*.mp3 *.m4a *.aac *.wav *.ogg *.flac *.opus *.mp4 *.mov *.mkv *.webm)"


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{seconds % 60:04.1f}"


class SoundPickerDialog(QDialog):
    """`choice` is the SoundChoice once accepted."""

    def __init__(self, current: SoundChoice | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Record to a sound")
        self.setMinimumSize(420, 440)
        self.choice: SoundChoice | None = None
        self.file: str | None = None
        self.sounds = QListWidget()
        for sound in list_sounds("music"):
            tempo = f" · {sound.bpm:.0f} BPM" if sound.bpm else ""
            item = QListWidgetItem(f"{sound.title} — {sound.artist}{tempo} · {clock(sound.duration)}")
            item.setData(Qt.ItemDataRole.UserRole, sound.id)
            self.sounds.addItem(item)
        self.sounds.itemSelectionChanged.connect(self._library_picked)
        self.sounds.itemDoubleClicked.connect(lambda _: self._accept())
        from_file = QPushButton("Your own sound, or a video's sound…")
        from_file.clicked.connect(self._pick_file)
        self.file_label = QLabel("")
        self.file_label.setObjectName("hint")
        self.start = QLineEdit("0:00")
        self.start.setToolTip("Where in the sound the take starts, e.g. 12 or 0:12")
        self.error = QLabel("")
        self.error.setObjectName("hint")
        start_row = QHBoxLayout()
        start_row.addWidget(QLabel("Start from"))
        start_row.addWidget(self.start)
        start_row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Library sounds"))
        layout.addWidget(self.sounds, 1)
        layout.addWidget(from_file)
        layout.addWidget(self.file_label)
        layout.addLayout(start_row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if current is not None:
            self.start.setText(clock(current.start))
            self.select(current.source)

    def select(self, source: str) -> None:
        """A library id or a file, as a click or the file dialog would choose it."""
        for i in range(self.sounds.count()):
            if self.sounds.item(i).data(Qt.ItemDataRole.UserRole) == source:
                self.sounds.setCurrentRow(i)
                return
        self.sounds.clearSelection()
        self.file = source
        self.file_label.setText(Path(source).name)

    def _library_picked(self) -> None:
        if self.sounds.selectedItems():
            self.file = None
            self.file_label.setText("")

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Sound to record to", "", MEDIA_FILTER)
        if path:
            self.select(path)

    def _accept(self) -> None:
        picked = self.sounds.selectedItems()
        source = picked[0].data(Qt.ItemDataRole.UserRole) if picked else self.file
        if not source:
            self.error.setText("Pick a sound first.")
            return
        try:
            start = parse_start(self.start.text())
        except CaptureError as exc:
            self.error.setText(str(exc))
            return
        self.choice = SoundChoice(source, start)
        self.accept()
