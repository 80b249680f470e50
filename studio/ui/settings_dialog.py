"""Settings: camera, microphone, output folder, default preset, preview quality."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLineEdit, QPushButton, QWidget)

from studio.render.presets import PRESETS

from .preview import PREVIEW_SIZES


def _row(line: QLineEdit, on_browse) -> QWidget:
    w = QWidget()
    h = QHBoxLayout(w)
    h.setContentsMargins(0, 0, 0, 0)
    h.addWidget(line, 1)
    b = QPushButton("…")
    b.setFixedWidth(30)
    b.clicked.connect(on_browse)
    h.addWidget(b)
    return w


class SettingsDialog(QDialog):
    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self.settings = settings
        self.camera = QComboBox()
        for index in range(4):
            self.camera.addItem(f"Camera {index}", str(index))
        self.camera.addItem("File camera (play a video as the camera)", "file")
        self.camera.setCurrentIndex(max(0, self.camera.findData(settings.camera)))
        self.file_camera = QLineEdit(settings.file_camera)
        self.microphone = QComboBox()
        self.microphone.addItem("Default microphone", "")
        self.microphone.addItem("No microphone", "none")
        try:
            from PySide6.QtMultimedia import QMediaDevices

            for device in QMediaDevices.audioInputs():
                # the device id (a PulseAudio source / ALSA device name) is what capture can open
                self.microphone.addItem(device.description(), bytes(device.id()).decode(errors="replace"))
        except ImportError:
            pass
        self.microphone.setCurrentIndex(max(0, self.microphone.findData(settings.microphone)))
        self.output = QLineEdit(str(settings.output_dir))
        self.projects = QLineEdit(str(settings.projects_dir))
        self.preset = QComboBox()
        for pid, p in PRESETS.items():
            self.preset.addItem(p.title, pid)
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.default_preset)))
        self.quality = QComboBox()
        for q, (w, h) in PREVIEW_SIZES.items():
            self.quality.addItem(f"{q.capitalize()} ({w}×{h})", q)
        self.quality.setCurrentIndex(max(0, self.quality.findData(settings.preview_quality)))
        form = QFormLayout(self)
        form.addRow("Camera", self.camera)
        form.addRow("File camera video", _row(self.file_camera, self._browse_file))
        form.addRow("Microphone", self.microphone)
        form.addRow("Output folder", _row(self.output, lambda: self._browse_dir(self.output, "Output folder")))
        form.addRow("Projects folder", _row(self.projects, lambda: self._browse_dir(self.projects, "Projects folder")))
        form.addRow("Default preset", self.preset)
        form.addRow("Preview quality", self.quality)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Video to use as the camera", "", "Video (*.mp4 *.mkv *.mov *.webm)")
        if path:
            self.file_camera.setText(path)

    def _browse_dir(self, field=None, title: str = "Output folder") -> None:
        field = field if field is not None else self.output
        folder = QFileDialog.getExistingDirectory(self, title, field.text())
        if folder:
            field.setText(folder)

    def accept(self) -> None:
        s = self.settings
        s.camera = self.camera.currentData()
        s.file_camera = self.file_camera.text().strip()
        s.microphone = self.microphone.currentData()
        s.output_dir = self.output.text().strip()
        if self.projects.text().strip():
            s.projects_dir = self.projects.text().strip()
        s.default_preset = self.preset.currentData()
        s.preview_quality = self.quality.currentData()
        s.sync()
        super().accept()
