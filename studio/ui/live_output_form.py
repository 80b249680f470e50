"""Live mode's output settings: the server's address, the stream key, the size and the bitrate.

The address, size and bitrate are part of the project's Live setup (saved, undoable). The stream
key is a password: it lives only in the password field while the window is open and, when
"Remember key" is ticked, in the keyring or the private key file (studio.live.secrets) under the
server's address — never in the project, the settings file or a log."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QSpinBox,
                               QToolButton, QWidget)

from studio.live.errors import LiveError
from studio.live.secrets import StreamKey, load_key, save_key
from studio.media.stream_encode import default_kbps

from studio.model import live_edits as le
from .live_scene_editor import push_live


class OutputForm(QGroupBox):
    """`problem(line)` when a key cannot be stored or read back."""

    problem = Signal(str)

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__("Output", parent)
        self.document = document
        self._loading = False
        self._looked_up = None  # the server whose remembered key was last looked for
        self.url = QLineEdit()
        self.url.setPlaceholderText("rtmp://live.example.com/app")
        self.url.setToolTip("The server address from your platform's LIVE settings, without the stream key")
        self.url.editingFinished.connect(self._url_edited)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("paste your stream key")
        self.key.setToolTip("A password: anyone with it can stream on your channel. It is never saved in the project.")
        self.show_key = QToolButton()
        self.show_key.setText("👁")
        self.show_key.setCheckable(True)
        self.show_key.setToolTip("Show or hide the key")
        self.show_key.toggled.connect(lambda on: self.key.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        key_row = QHBoxLayout()
        key_row.setSpacing(2)
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.show_key)
        self.remember = QCheckBox("Remember key")
        self.remember.setToolTip("Keep the key for this server in the system keyring (or a file only you can read)")
        self.size = QComboBox()
        for title, (w, h) in le.SIZE_CHOICES:
            self.size.addItem(title, f"{w}x{h}")  # (a tuple would come back from Qt as a list)
        self.size.activated.connect(self._size_chosen)
        # as narrow as its shortest useful text: the column must fit a 1080p screen at 200 %
        self.size.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.size.setMinimumContentsLength(12)
        self.kbps = QSpinBox()
        self.kbps.setRange(0, 50_000)
        self.kbps.setSingleStep(500)
        self.kbps.setSuffix(" kbit/s")
        self.kbps.setToolTip("Video bitrate; Auto picks the platforms' recommendation for the size")
        self.kbps.editingFinished.connect(self._kbps_edited)
        form = QFormLayout(self)
        form.addRow("Server", self.url)
        form.addRow("Stream key", key_row)
        form.addRow("", self.remember)
        form.addRow("Size", self.size)
        form.addRow("Bitrate", self.kbps)
        self.refresh()

    @property
    def live(self):
        return le.live_of(self.document.project)

    def refresh(self) -> None:
        live = self.live
        self._loading = True
        try:
            if self.url.text() != live.url:
                self.url.setText(live.url)
            self.size.setCurrentIndex(self.size.findData(f"{live.width}x{live.height}"))
            self.kbps.setSpecialValueText(f"Auto ({default_kbps((live.width, live.height))} kbit/s)")
            self.kbps.setValue(live.video_kbps or 0)
        finally:
            self._loading = False
        if not self.key.text():
            self.load_remembered()

    def set_live(self, on: bool) -> None:
        """While streaming, what the stream was started with cannot change."""
        for w in (self.url, self.key, self.remember, self.size, self.kbps):
            w.setEnabled(not on)

    # -- edits -----------------------------------------------------------------------------------
    def _url_edited(self) -> None:
        url = self.url.text().strip()
        if self._loading or url == self.live.url:
            return
        push_live(self.document, "Change stream server", dataclasses.replace(self.live, url=url))
        if not self.key.text():
            self.load_remembered()

    def _size_chosen(self, index: int) -> None:
        w, h = (int(v) for v in self.size.itemData(index).split("x"))
        push_live(self.document, "Change stream size", le.set_size(self.live, (w, h)))

    def _kbps_edited(self) -> None:
        value = self.kbps.value()
        kbps = None if value == 0 else max(200, value)
        if not self._loading and kbps != self.live.video_kbps:
            push_live(self.document, "Change stream bitrate", dataclasses.replace(self.live, video_kbps=kbps))

    # -- the key -----------------------------------------------------------------------------------
    def stream_key(self) -> StreamKey:
        """The key typed (LiveError, one line, when it is empty or malformed); stored when asked."""
        key = StreamKey(self.key.text())
        if self.remember.isChecked():
            name = self.live.url.strip()
            try:
                save_key(name, key)
            except (OSError, LiveError) as exc:
                self.problem.emit(f"the key could not be remembered: {getattr(exc, 'strerror', None) or exc}")
        return key

    def load_remembered(self) -> bool:
        """The key remembered for this server into the field (once per server: the keyring may be slow)."""
        name = self.live.url.strip()
        if not name or name == self._looked_up:
            return False
        self._looked_up = name
        try:
            key = load_key(name)
        except LiveError:
            key = None
        if key is None:
            return False
        self.key.setText(key.reveal())
        self.remember.setChecked(True)
        return True
