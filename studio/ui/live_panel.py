"""Live mode: go live to a streaming platform with the camera's AR effects, scenes and overlays.

    ┌ Scenes ──────────┐ ┌ programme (what viewers see) ┐ ┌ Output ───────────────┐
    │ list + buttons   │ │                               │ │ server, key, size, …  │
    │ Camera│Overlays│2│ │         ● LIVE 00:42          │ │ [ ● Go LIVE / ■ End ] │
    │ (the picked      │ │                               │ │ one-line message      │
    │  scene's editor) │ ├───────────────────────────────┤ │ Health (once a second)│
    │                  │ │ ★ Highlight (H) · sound board │ │ result: Edit / Shorts │
    └──────────────────┘ └───────────────────────────────┘ └───────────────────────┘

studio.live.LiveSession does the work (camera → effects → scene → encoder → ingest, with a safety
recording); this panel is its view. Before going live the same scene runs as a stand-by preview
(live_preview.ScenePreview) so every edit shows at once. Connecting and ending run off the UI
thread (Tasks); pictures come from the composing thread through a lock-guarded "latest" slot that
a UI timer reads, as in Record mode. Errors are one line in the panel, never a traceback."""
from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import cv2
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QMenu, QPushButton,
                               QScrollArea, QSizePolicy, QStackedWidget, QToolButton, QVBoxLayout, QWidget)

from studio.live.errors import LiveError

from studio.model import live_edits as le
from .live_output_form import OutputForm
from .live_preview import LONG_SIDE, ScenePreview
from .live_scene_editor import SceneEditor, SceneList
from .render_worker import to_qimage
from .tasks import Inbox, Tasks, one_line

# The sound board's first buttons, when the library has them (library sound ids)
BOARD_SOUNDS = ("applause", "ding", "bass-drop", "record-scratch")
MAX_BOARD = 8
HEALTH_FIELDS = (("state", "State"), ("live", "Time live"), ("fps", "Frames/s"), ("kbps", "Bitrate"),
                 ("dropped", "Dropped"), ("effects", "Effects"), ("encoder", "Encoder lag"), ("cpu", "CPU"),
                 ("reconnects", "Reconnects"), ("highlights", "Highlights"))
STATE_COLOURS = {"live": "#3ddc84", "connecting": "#ffd166", "reconnecting": "#ffd166", "failed": "#ff5c5c"}


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


class ProgrammeView(QWidget):
    """What viewers see, fitted to the stream's shape. A strip above the picture says what is
    happening (stand-by, connecting, ● LIVE 01:23): drawn over the picture it would hide the
    scene's own top corners, where clocks and logos go."""

    STRIP = 30  # px above the picture

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image: QImage | None = None
        self.aspect = (720, 1280)
        self.badge = ""      # "● LIVE  01:23" while on air
        self.message = ""    # otherwise: "Stand-by · camera", "Connecting to …"
        self.setMinimumSize(180, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def frame_rect(self) -> QRectF:
        w, h = self.aspect
        box_w, box_h = self.width() - 8, self.height() - 8 - self.STRIP
        scale = min(box_w / w, box_h / h)
        return QRectF((self.width() - w * scale) / 2, self.STRIP + 4 + (box_h - h * scale) / 2, w * scale, h * scale)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#0d0d10"))
        frame = self.frame_rect()
        p.fillRect(frame, QColor("#000"))
        if self.image is not None:
            p.drawImage(frame, self.image)
        p.setPen(QPen(QColor("#ff3b5c") if self.badge else QColor("#33333d"), 2 if self.badge else 1))
        p.drawRect(frame)
        f = QFont(self.font())
        f.setPointSize(10)
        f.setBold(bool(self.badge))
        p.setFont(f)
        strip = QRectF(frame.x(), 2, frame.width(), self.STRIP - 2)
        if self.badge:
            width = p.fontMetrics().horizontalAdvance(self.badge) + 20
            pill = QRectF(frame.x(), 3, width, self.STRIP - 6)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#ff3b5c"))
            p.drawRoundedRect(pill, 6, 6)
            p.setPen(QColor("#ffffff"))
            p.drawText(pill, Qt.AlignmentFlag.AlignCenter, self.badge)
        elif self.message:
            p.setPen(QColor("#b0b0bc"))
            text = p.fontMetrics().elidedText(self.message, Qt.TextElideMode.ElideMiddle, int(strip.width()))
            p.drawText(strip, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)


class LivePanel(QWidget):
    """`finished(Path)`: a stream ended and its recording is LIVE.studio at that path (the window
    opens it in Edit mode). `make_shorts_requested(Path)`: the result line's "Make shorts…"."""

    status = Signal(str)
    finished = Signal(object)
    make_shorts_requested = Signal(object)
    use_file_camera_requested = Signal()

    def __init__(self, document, settings, thumbnails, live_dir_fn, parent=None):
        super().__init__(parent)
        self.document, self.settings, self.thumbnails = document, settings, thumbnails
        self.live_dir_fn = live_dir_fn
        self.tasks = Tasks(self)
        self.session = None           # the LiveSession while connecting, live or ending
        self.state = "idle"           # idle / connecting / live / ending
        self.preview: ScenePreview | None = None
        self.current = ""             # the scene picked in the list (on air while live)
        self.result = None            # the last stream's LiveResult
        self.last_project: Path | None = None
        self.camera_error = ""
        self._latest = None
        self._latest_lock = threading.Lock()
        # the session's events come from its threads; they are shown on the UI thread
        self._events = Inbox(self._event, self)
        self._frame_timer = QTimer(self)
        self._frame_timer.timeout.connect(self._poll_frame)
        self._health_timer = QTimer(self)
        self._health_timer.setInterval(1000)
        self._health_timer.timeout.connect(self.update_health)

        # -- scenes (left)
        self.scenes = SceneList(document)
        self.scenes.picked.connect(self.pick_scene)
        self.editor = SceneEditor(document, thumbnails)
        left = QVBoxLayout()
        left.addWidget(self.scenes)
        left.addWidget(self.editor, 1)

        # -- programme (centre)
        self.programme = ProgrammeView()
        self.no_camera = self._no_camera_page()
        self.view_stack = QStackedWidget()
        self.view_stack.addWidget(self.programme)
        self.view_stack.addWidget(self.no_camera)
        self.highlight_button = QPushButton("★  Highlight")
        self.highlight_button.setObjectName("primary")
        self.highlight_button.setToolTip("Mark this moment (H): after the stream each highlight becomes a marker, "
                                         "and Make shorts cuts a short around it")
        self.highlight_button.clicked.connect(self.highlight)
        self.highlight_count = QLabel("No highlights yet")
        self.highlight_count.setObjectName("hint")
        mark_row = QHBoxLayout()
        mark_row.addWidget(self.highlight_button)
        mark_row.addWidget(self.highlight_count)
        mark_row.addStretch(1)
        # the sound board: its buttons scroll sideways when they outgrow a narrow window
        board = QWidget()
        self.board_row = QHBoxLayout(board)
        self.board_row.setContentsMargins(0, 0, 0, 0)
        self.board_row.setSpacing(4)
        self.board_row.addStretch(1)
        self.board_buttons: list[QPushButton] = []
        scroller = QScrollArea()
        scroller.setWidget(board)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFixedHeight(board.sizeHint().height() + 36)
        self.add_sound_button = QToolButton()
        self.add_sound_button.setText("♪ Add sound…")
        self.add_sound_button.setObjectName("chip")
        self.add_sound_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_sound_button.setMenu(self._sound_menu())
        board_title = QLabel("Sounds")
        board_title.setObjectName("hint")
        sound_row = QHBoxLayout()
        sound_row.addWidget(board_title)
        sound_row.addWidget(scroller, 1)
        sound_row.addWidget(self.add_sound_button)
        for sound_id in self._library_board():
            self.add_board_sound(sound_id)
        centre = QVBoxLayout()
        centre.addWidget(self.view_stack, 1)
        centre.addLayout(mark_row)
        centre.addLayout(sound_row)

        # -- output, go live, health, result (right)
        self.output = OutputForm(document)
        self.output.problem.connect(self.show_message)
        self.go_button = QPushButton("●  Go LIVE")
        self.go_button.setObjectName("goLive")
        self.go_button.setMinimumHeight(44)
        self.go_button.clicked.connect(self.toggle_live)
        self.message = QLabel("")
        self.message.setObjectName("liveMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.health_box = QGroupBox("Stream health")
        grid = QGridLayout(self.health_box)
        grid.setHorizontalSpacing(10)
        self.health_labels: dict[str, QLabel] = {}
        for n, (key, title) in enumerate(HEALTH_FIELDS):
            name = QLabel(title)
            name.setObjectName("hint")
            value = QLabel("–")
            value.setObjectName("healthValue")
            grid.addWidget(name, n // 2, (n % 2) * 2)
            grid.addWidget(value, n // 2, (n % 2) * 2 + 1)
            self.health_labels[key] = value
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.result_box = QGroupBox("Last stream")
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.open_result_button = QPushButton("Open in Edit")
        self.open_result_button.clicked.connect(lambda: self.finished.emit(self.last_project))
        self.shorts_button = QPushButton("✂ Make shorts…")
        self.shorts_button.setToolTip("A 9:16 short around each highlight")
        self.shorts_button.clicked.connect(lambda: self.make_shorts_requested.emit(self.last_project))
        result_buttons = QHBoxLayout()
        result_buttons.addWidget(self.open_result_button)
        result_buttons.addWidget(self.shorts_button)
        rv = QVBoxLayout(self.result_box)
        rv.addWidget(self.result_label)
        rv.addLayout(result_buttons)
        self.result_box.setVisible(False)
        right = QVBoxLayout()
        right.addWidget(self.output)
        right.addWidget(self.go_button)
        right.addWidget(self.message)
        right.addWidget(self.health_box)
        right.addWidget(self.result_box)
        right.addStretch(1)

        columns = QHBoxLayout(self)
        columns.addLayout(left, 3)
        columns.addLayout(centre, 4)
        columns.addLayout(right, 3)
        self._shown = None  # the LiveSettings the widgets show (edits elsewhere keep the same object)
        document.project_changed.connect(lambda _: self.refresh())
        self.refresh()
        self._update_controls()

    # -- pieces ------------------------------------------------------------------------------------
    def _no_camera_page(self) -> QWidget:
        page = QWidget()
        self.no_camera_text = QLabel()
        self.no_camera_text.setObjectName("noCamera")
        self.no_camera_text.setWordWrap(True)
        self.no_camera_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        use_file = QPushButton("Use a video file as the camera…")
        use_file.setObjectName("primary")
        use_file.clicked.connect(self._choose_file_camera)
        retry = QPushButton("Try the camera again")
        retry.clicked.connect(self.start_preview)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.no_camera_text)
        column.addSpacing(8)
        column.addWidget(use_file)
        column.addWidget(retry)
        column.addStretch(1)
        row = QHBoxLayout(page)
        row.addStretch(1)
        row.addLayout(column, 6)
        row.addStretch(1)
        return page

    def _library_board(self) -> list[str]:
        from studio.library.sounds import list_sounds

        have = {s.id for s in list_sounds()}
        return [s for s in BOARD_SOUNDS if s in have]

    def _sound_menu(self) -> QMenu:
        from studio.library.sounds import list_sounds

        menu = QMenu(self)
        effects = menu.addMenu("Sound effects")
        music = menu.addMenu("Music")
        for sound in list_sounds():
            (effects if sound.kind == "effect" else music).addAction(
                sound.title, lambda s=sound.id: self.add_board_sound(s))
        menu.addSeparator()
        menu.addAction("Audio file…", self._add_sound_file)
        return menu

    def _add_sound_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Sound to play into the stream", "",
                                              "Audio (*.wav *.mp3 *.m4a *.ogg *.flac *.aac)")
        if path:
            self.add_board_sound(path)

    def add_board_sound(self, sound: str) -> QPushButton | None:
        """A button that plays `sound` (a library id or an audio file) into the stream."""
        if any(b.property("sound") == sound for b in self.board_buttons):
            return None
        if len(self.board_buttons) >= MAX_BOARD:
            self.show_message(f"the sound board holds {MAX_BOARD} sounds: this one was not added")
            return None
        title = Path(sound).stem
        try:
            from studio.library.sounds import get_sound

            title = get_sound(sound).title
        except Exception:  # a file, not a library id
            pass
        button = QPushButton(title)
        button.setProperty("sound", sound)
        button.setToolTip(f"Play {title} into the stream")
        button.clicked.connect(lambda: self.play_sound(sound))
        button.setEnabled(self.state == "live")
        self.board_row.insertWidget(len(self.board_buttons), button)
        self.board_buttons.append(button)
        return button

    # -- showing the project's setup ---------------------------------------------------------------
    @property
    def live(self):
        return le.live_of(self.document.project)

    def refresh(self, force: bool = False) -> None:
        """Show the project's Live setup as it is now (after an edit, an undo, another project).
        Timeline edits leave `project.live` the very same object: nothing to redo for those."""
        live = self.live
        if live is self._shown and not force:
            return
        self._shown = live
        ids = [s.id for s in live.scenes]
        if self.current not in ids:
            self.current = live.active_scene if live.active_scene in ids else ids[0]
        on_air = self.current if self.state == "live" else ""
        self.scenes.refresh(self.current, on_air)
        self.editor.show_scene(self.current)
        self.output.refresh()
        self.programme.aspect = (live.width, live.height)
        self.programme.update()
        scene = live.scene(self.current)
        if self.preview is not None:
            self.preview.switch(scene)
        if self.state == "live" and self.session is not None and scene != self.session.scene:
            self._switch_on_air(scene)  # an edit of the scene on air shows on air

    def pick_scene(self, scene_id: str) -> None:
        """A click in the scene list: show that scene (and put it on air while live)."""
        self.current = scene_id
        self.refresh(force=True)
        if self.state == "live":
            self.status.emit(f"On air: {self.live.scene(scene_id).name or scene_id}")

    def _switch_on_air(self, scene) -> None:
        try:
            self.session.switch_scene(scene)
        except Exception as exc:  # a second source that cannot open: the stream goes on
            self.show_message(f"scene not switched: {one_line(exc)}", error=True)

    # -- stand-by preview ------------------------------------------------------------------------
    def _camera_spec(self) -> str:
        return self.settings.file_camera if self.settings.camera == "file" else self.settings.camera

    def _open_camera(self):
        from studio.capture import CaptureError, open_camera

        spec = self._camera_spec()
        if not spec:
            raise CaptureError("no video file chosen for the file camera")
        return open_camera(spec)

    def start_preview(self) -> bool:
        """The scene from the camera, drawn here and sent nowhere; a no-camera page without one."""
        from studio.capture import CaptureError

        if self.state != "idle":
            return False
        self.stop_preview()
        try:
            camera = self._open_camera()
            live = self.live
            self.preview = ScenePreview(camera, live.scene(self.current), (live.width, live.height),
                                        on_frame=self._on_programme, on_problem=lambda line: self._events.post(line))
            self.preview.start()
        except (CaptureError, OSError) as exc:
            self.preview = None
            self._show_no_camera(exc)
            return False
        self.camera_error = ""
        self.programme.message = f"Stand-by · {camera.name}"
        self.view_stack.setCurrentWidget(self.programme)
        self._frame_timer.start(33)
        self._update_controls()
        return True

    def stop_preview(self) -> None:
        if self.preview is not None:
            self.preview.close()
            self.preview = None
        if self.state == "idle":
            self._frame_timer.stop()

    def _show_no_camera(self, exc: Exception) -> None:
        from .record_panel import _explain

        self.camera_error = str(exc)
        self.no_camera_text.setText(f"<b>No camera</b><br><br>{_explain(exc)}<br><br>To go live without a webcam, "
                                    "use a video file as the camera (it plays round and round).")
        self.view_stack.setCurrentWidget(self.no_camera)
        self._update_controls()

    def _choose_file_camera(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Video to use as the camera", "",
                                              "Video (*.mp4 *.mkv *.mov *.webm)")
        if path:
            self.use_file_camera(Path(path))

    def use_file_camera(self, path: Path) -> bool:
        self.settings.camera = "file"
        self.settings.file_camera = str(path)
        return self.start_preview()

    def _on_programme(self, rgb) -> None:
        """The composing thread: a small copy of the newest picture for the UI timer (the renderer
        reuses its buffers, and a full-size picture would be scaled again at every paint)."""
        h, w = rgb.shape[:2]
        scale = LONG_SIDE / max(w, h)
        small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_LINEAR) \
            if scale < 1 else rgb.copy()
        with self._latest_lock:
            self._latest = small

    def _poll_frame(self) -> None:
        with self._latest_lock:
            rgb, self._latest = self._latest, None
        if rgb is not None:
            self.programme.image = to_qimage(rgb)
            self.programme.update()

    # -- going live ------------------------------------------------------------------------------
    def toggle_live(self) -> None:
        if self.state == "idle":
            self.go_live()
        elif self.state == "live":
            self.end()

    def go_live(self) -> bool:
        """Connect (off the UI thread); False with a one-line message when it cannot start."""
        from studio.capture import CaptureError
        from studio.live.session import LiveSession

        if self.state != "idle":
            return False
        self.show_message("")
        try:
            key = self.output.stream_key()
        except LiveError as exc:
            self.show_message(str(exc), error=True)
            return False
        settings = dataclasses.replace(self.live, active_scene=self.current)
        self.stop_preview()
        camera = microphone = None
        try:
            camera = self._open_camera()
            if not camera.has_audio:
                from studio.capture import open_chosen_microphone

                microphone, why = open_chosen_microphone(self.settings.microphone)
                if why:
                    self.status.emit(f"{why}: the stream carries silence and the sound board")
            folder = Path(self.live_dir_fn())
            folder.mkdir(parents=True, exist_ok=True)
            record = folder / f"Live-{time.strftime('%Y-%m-%d-%H%M%S')}.mp4"
            self.session = LiveSession(camera, settings, key, record=record, microphone=microphone,
                                       on_programme=self._on_programme, on_event=lambda m: self._events.post(m))
        except (LiveError, CaptureError, OSError) as exc:
            for source in (camera, microphone):
                if source is not None:
                    source.stop()
            self.show_message(one_line(exc), error=True)
            if isinstance(exc, CaptureError) and camera is None:
                self._show_no_camera(exc)
            else:
                self.start_preview()
            return False
        self.state = "connecting"
        self.programme.message = f"Connecting to {settings.url}…"
        self._frame_timer.start(33)
        self.view_stack.setCurrentWidget(self.programme)
        self._update_controls()
        self.tasks.run(self.session.start, name="live-start", on_done=lambda _: self._started(),
                       on_failed=self._start_failed)
        return True

    def _started(self) -> None:
        self.state = "live"
        self._since = time.monotonic()
        self.programme.message = ""
        self.output.set_live(True)
        self.refresh(force=True)
        self._health_timer.start()
        self.update_health()
        self._update_controls()
        self.status.emit("You are LIVE. H marks a highlight; End finishes the recording.")

    def _start_failed(self, exc: BaseException) -> None:
        self.session = None
        self.state = "idle"
        self.show_message(one_line(exc), error=True)
        self.programme.message = ""
        self._update_controls()
        self.start_preview()

    def end(self) -> bool:
        """End the stream; the safety recording is finished (off the UI thread) and opened."""
        if self.state != "live" or self.session is None:
            return False
        self.state = "ending"
        self._health_timer.stop()
        self.update_health()
        self.programme.badge = ""
        self.programme.message = "Ending: finishing the recording…"
        self.programme.update()
        self._update_controls()
        live = dataclasses.replace(self.live, active_scene=self.current)  # the scene on air at the end
        self.tasks.run(_stop_and_keep_setup, self.session, live, name="live-stop", on_done=self._ended,
                       on_failed=lambda exc: self._ended(None, one_line(exc)))
        return True

    def _ended(self, result, error: str | None = None) -> None:
        self.result = result
        self.session = None
        self.state = "idle"
        self.output.set_live(False)
        self.programme.message = ""
        self._update_controls()
        self.refresh(force=True)
        finished = result.finished if result is not None else None
        if finished is None:
            why = error or (result.error if result is not None else "") or "no recording was kept"
            self.show_message(f"The stream ended; the recording could not be finished: {why}", error=True)
            self.start_preview()
            return
        self.last_project = finished.project
        n = len(finished.highlights)
        self.result_label.setText(f"{finished.path.name} · {_clock(finished.duration)} · "
                                  f"{n} highlight{'s' if n != 1 else ''}")
        self.result_label.setToolTip(str(finished.path))
        self.result_box.setVisible(True)
        self.shorts_button.setEnabled(n > 0)
        self.show_message("The stream ended. The recording opens in Edit mode with your highlights as markers.")
        self.finished.emit(finished.project)

    # -- while live ------------------------------------------------------------------------------
    def highlight(self) -> bool:
        if self.state != "live" or self.session is None:
            self.status.emit("Highlights are marked while you are live")
            return False
        mark = self.session.mark()
        self._show_highlights()
        self.status.emit(f"★ {mark.name} at {_clock(mark.seconds)}")
        return True

    def _show_highlights(self) -> None:
        n = len(self.session.highlights) if self.session is not None else 0
        self.highlight_count.setText(f"★ {n} highlight{'s' if n != 1 else ''}" if n else "No highlights yet")

    def play_sound(self, sound: str) -> bool:
        if self.state != "live" or self.session is None:
            return False
        session = self.session
        self.tasks.run(session.play_sound, sound, name="live-sound",  # decoding a long file takes a moment
                       on_failed=lambda exc: self.show_message(f"sound not played: {one_line(exc)}", error=True))
        return True

    def update_health(self) -> None:
        if self.session is None:
            return
        health = self.session.health()
        s = health.stream
        values = {"state": s.state.capitalize(), "live": _clock(s.seconds_live), "fps": f"{s.fps:.0f}",
                  "kbps": f"{s.kbps:,.0f} kbit/s", "dropped": str(health.frames_dropped),
                  "effects": "–" if health.pipeline_ms is None else f"{health.pipeline_ms:.0f} ms",
                  "encoder": "–" if s.encoder_lag_ms is None else f"{s.encoder_lag_ms:.0f} ms",
                  "cpu": f"{s.cpu_percent:.0f} %", "reconnects": str(s.reconnects),
                  "highlights": str(health.highlights)}
        for key, text in values.items():
            self.health_labels[key].setText(text)
        colour = STATE_COLOURS.get(s.state, "#e6e6ee")
        self.health_labels["state"].setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.health_line = health.line()
        if self.state == "live":
            self.programme.badge = f"● LIVE  {_clock(s.seconds_live)}" if s.state == "live" else \
                f"● {s.state.upper()}"
            self.programme.update()
            if s.state == "failed":
                self.show_message("The connection to the server was lost and could not be made again; "
                                  "the stream is ended and its recording kept.", error=True)
                self.end()

    # -- messages and controls -----------------------------------------------------------------------
    def _event(self, line: str) -> None:
        self.status.emit(line)

    def show_message(self, line: str, error: bool = False) -> None:
        self.message.setText(" ".join(line.split()))
        self.message.setStyleSheet("color: #ff6b81;" if error else "color: #b0b0bc;")
        self.message.setProperty("error", error)

    def _update_controls(self) -> None:
        state = self.state
        self.go_button.setText({"idle": "●  Go LIVE", "connecting": "Connecting…", "live": "■  End LIVE",
                                "ending": "Ending…"}[state])
        self.go_button.setEnabled(state in ("idle", "live"))
        self.go_button.setStyleSheet(
            "QPushButton#goLive { background: #ff3b5c; border-color: #ff3b5c; color: white; font-weight: bold;"
            " font-size: 15px; }" if state == "idle" else
            "QPushButton#goLive { background: #2a2a35; border: 2px solid #ff3b5c; color: white; font-weight: bold;"
            " font-size: 15px; }")
        self.highlight_button.setEnabled(state == "live")
        for b in self.board_buttons:
            b.setEnabled(state == "live")
        self.health_box.setEnabled(state != "idle" or self.result is not None)
        self._show_highlights()

    # -- mode and closing ------------------------------------------------------------------------
    def enter(self) -> None:
        """Live mode shows: the stand-by preview starts (the camera is ours until we leave)."""
        self.refresh(force=True)
        if self.state == "idle" and self.preview is None:
            self.start_preview()

    def leave(self) -> None:
        """Another mode shows: the stand-by preview lets the camera go (a stream goes on)."""
        if self.state == "idle":
            self.stop_preview()

    @property
    def is_live(self) -> bool:
        return self.state != "idle"

    def shutdown(self) -> None:
        """The window closes: a stream is ended and its recording finished before Studio goes."""
        self._health_timer.stop()
        self.tasks.wait_all(timeout=30)
        if self.session is not None:
            try:
                self.session.stop()
            except Exception:  # closing anyway; the safety recording stays for `studio recover`
                pass
            self.session = None
        self.state = "idle"
        self.stop_preview()
        self._frame_timer.stop()
        self._events.stop()


def _stop_and_keep_setup(session, live):
    """End the stream (worker thread); the finished LIVE.studio keeps the scenes it was made with,
    so going live again from it starts from the same setup."""
    from studio.model import ProjectError, load_project, save_project

    result = session.stop()
    if result.finished is not None:
        try:
            project = load_project(result.finished.project)
            save_project(dataclasses.replace(project, live=live), result.finished.project)
        except (ProjectError, OSError):  # the recording and its markers are what matter
            pass
    return result
