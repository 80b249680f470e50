"""Export dialog: preset, caption with hashtag chips and counters against the preset's limits, cover
frame picker, pre-flight findings, then the export in a worker thread with progress, ETA, cancel
and "show in folder". Caption, hashtags and cover are project metadata (undoable edits)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar, QPushButton,
                               QScrollArea, QSlider, QToolButton, QVBoxLayout, QWidget)

from studio.render.dependencies import ChangeCounter, picture_inputs
from studio.render.presets import PRESETS, QUALITY

from .render_worker import FrameRenderer
from .tasks import Tasks, one_line
from .timeline_geometry import timecode_label

LEVEL_ICONS = {"error": "⛔", "warning": "⚠", "info": "ℹ"}


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "estimating…"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d} left"


class _TagEntry(QLineEdit):
    """Enter adds the typed hashtags and stops there: passed on, it would press the dialog's default
    button and start the export before the creator has chosen a cover."""

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)  # emits returnPressed, then ignores the key so it would travel up
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class HashtagChips(QWidget):
    """Removable chips for the project's hashtag list, plus a field to add more."""

    changed = Signal(tuple)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tags: tuple[str, ...] = ()
        self.chip_row = QHBoxLayout()
        self.chip_row.setContentsMargins(0, 0, 0, 0)
        self.chip_row.setSpacing(4)
        host = QWidget()
        host.setLayout(self.chip_row)
        scroll = QScrollArea()
        scroll.setWidget(host)
        scroll.setWidgetResizable(True)
        scroll.setFixedHeight(40)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.entry = _TagEntry()
        self.entry.setPlaceholderText("add hashtag + Enter")
        self.entry.returnPressed.connect(self._add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        layout.addWidget(self.entry)

    def set_tags(self, tags) -> None:
        self.tags = tuple(tags)
        while self.chip_row.count():
            w = self.chip_row.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        for tag in self.tags:
            chip = QToolButton(text=f"#{tag}  ✕")
            chip.setObjectName("chip")
            chip.setToolTip("Remove")
            chip.clicked.connect(lambda _=False, t=tag: self.changed.emit(tuple(x for x in self.tags if x != t)))
            self.chip_row.addWidget(chip)
        self.chip_row.addStretch(1)

    def _add(self) -> None:
        words = [w.strip().lstrip("#") for w in self.entry.text().replace(",", " ").split()]
        new = [w for w in words if w and w.lower() not in {t.lower() for t in self.tags}]
        self.entry.clear()
        if new:
            self.changed.emit(self.tags + tuple(new))


class ExportDialog(QDialog):
    def __init__(self, document, settings, parent=None, output: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(720)
        self.document = document
        self.settings = settings
        self.tasks = Tasks(self)  # pre-flight checks and the export run here
        self._export = None  # the export's Task, until its result has been shown
        self._cancel = threading.Event()
        self._pre_request = 0
        self.result = None
        self.error = ""
        self.progress_log: list = []

        project = document.project
        self.preset = QComboBox()
        for pid, p in PRESETS.items():
            self.preset.addItem(p.title, pid)
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.default_preset)))
        self.quality = QComboBox()
        for q in QUALITY:
            self.quality.addItem(q.capitalize(), q)
        self.quality.setCurrentIndex(self.quality.findData("standard"))
        stem = (document.path.stem if document.path else project.name).replace(" ", "_") or "video"
        self.output = QLineEdit(str(output or (settings.output_dir / f"{stem}.mp4")))
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)

        self.caption = QPlainTextEdit(project.metadata.caption)
        self.caption.setPlaceholderText("Write a caption… #hashtags work here too")
        self.caption.setFixedHeight(80)
        self.caption.textChanged.connect(self._caption_edited)
        self.chips = HashtagChips()
        self.chips.set_tags(project.metadata.hashtags)
        self.chips.changed.connect(lambda tags: document.set_metadata("Change hashtags", hashtags=tags))
        self.counters = QLabel()
        self.counters.setObjectName("counters")

        self.cover_slider = QSlider(Qt.Orientation.Horizontal)
        self.cover_slider.setRange(0, max(0, project.duration - 1))
        self.cover_slider.setValue(min(project.metadata.cover_frame, max(0, project.duration - 1)))
        self.cover_slider.valueChanged.connect(self._cover_moved)
        self.cover_label = QLabel()
        self.cover_image = QLabel()
        self.cover_image.setFixedSize(108, 192)
        self.cover_image.setObjectName("cover")
        self.cover_renderer = FrameRenderer("cover", self)
        self.picture_key = ChangeCounter(picture_inputs)
        self.cover_renderer.frame_ready.connect(self._cover_ready)

        self.findings = QListWidget()
        self.findings.setMinimumHeight(110)
        self.findings.setWordWrap(True)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.check_button = QPushButton("Run pre-flight")
        self.check_button.clicked.connect(self.run_preflight)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.eta = QLabel("")
        self.eta.setWordWrap(True)  # a refusal names the file and the reason: show all of it
        # mnemonics (Alt+letter) and Enter = Export: the whole dialog works from the keyboard
        self.export_button = QPushButton("&Export")
        self.export_button.setObjectName("primary")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton("Cancel export")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.show_button = QPushButton("Show in folder")
        self.show_button.setEnabled(False)
        self.show_button.clicked.connect(self.show_in_folder)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        # I/O marks on the timeline: the export can take just that part
        self.range_box = QCheckBox()
        self.range_box.setVisible(document.in_out is not None)
        if document.in_out is not None:
            start, end = document.in_out
            self.range_box.setText(f"Only the &in/out part ({timecode_label(start, project.fps)} – "
                                   f"{timecode_label(end, project.fps)})")
            self.range_box.setChecked(True)

        form = QFormLayout()
        form.addRow("&Platform", self.preset)
        form.addRow("&Quality", self.quality)
        form.addRow("", self.range_box)
        file_label = QLabel("&File")
        file_label.setBuddy(self.output)
        form.addRow(file_label, out_row)
        caption_box = QGroupBox("Caption")
        cv = QVBoxLayout(caption_box)
        cv.addWidget(self.caption)
        cv.addWidget(self.chips)
        cv.addWidget(self.counters)
        cover_box = QGroupBox("Cover frame")
        cov = QHBoxLayout(cover_box)
        cov.addWidget(self.cover_image)
        right = QVBoxLayout()
        right.addWidget(self.cover_label)
        right.addWidget(self.cover_slider)
        right.addStretch(1)
        cov.addLayout(right, 1)
        pre_box = QGroupBox("Pre-flight")
        pv = QVBoxLayout(pre_box)
        pv.addWidget(self.findings)
        pv.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignRight)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(caption_box)
        left.addWidget(cover_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(pre_box, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.eta)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(buttons)

        self.preset.currentIndexChanged.connect(lambda _: (self._update_counters(), self._schedule_preflight()))
        document.project_changed.connect(self._project_changed)
        self._pre_timer = QTimer(self)
        self._pre_timer.setSingleShot(True)
        self._pre_timer.setInterval(600)
        self._pre_timer.timeout.connect(self.run_preflight)
        self._update_counters()
        self._cover_moved(self.cover_slider.value(), edit=False)
        self._schedule_preflight()

    # -- metadata --------------------------------------------------------------------------------
    @property
    def preset_id(self) -> str:
        return self.preset.currentData()

    def _caption_edited(self) -> None:
        self.document.set_metadata("Change caption", caption=self.caption.toPlainText())

    def _project_changed(self, project) -> None:
        meta = project.metadata
        if self.caption.toPlainText() != meta.caption:
            self.caption.blockSignals(True)
            self.caption.setPlainText(meta.caption)
            self.caption.blockSignals(False)
        if self.chips.tags != meta.hashtags:
            self.chips.set_tags(meta.hashtags)
        self._update_counters()
        self._schedule_preflight()

    def counts(self) -> tuple[int, int]:
        meta = self.document.project.metadata
        return len(meta.full_caption()), len(meta.all_hashtags())

    def _update_counters(self) -> None:
        preset = PRESETS[self.preset_id]
        chars, tags = self.counts()
        over = chars > preset.caption_chars or tags > preset.max_hashtags
        self.counters.setText(f"{chars} / {preset.caption_chars} characters · {tags} / {preset.max_hashtags} hashtags")
        self.counters.setProperty("over", over)
        self.counters.setStyleSheet("color: #ff5c7a; font-weight: bold;" if over else "color: #9a9aa8;")

    def _cover_moved(self, frame: int, edit: bool = True) -> None:
        p = self.document.project
        self.cover_label.setText(f"Frame {frame} · {timecode_label(frame, p.fps)}")
        if edit:
            self.document.set_metadata("Change cover", cover_frame=int(frame))
        self.cover_renderer.request(p, self.picture_key(p), frame, (108, 192))

    def _cover_ready(self, frame: int, image: QImage) -> None:
        if frame == self.cover_slider.value():
            self.cover_image.setPixmap(QPixmap.fromImage(image))

    # -- pre-flight ------------------------------------------------------------------------------
    def _schedule_preflight(self) -> None:
        self._pre_timer.start()

    def run_preflight(self) -> None:
        from studio.render.preflight import check_project

        self._pre_request += 1
        number, project, preset = self._pre_request, self.document.project, self.preset_id
        self.findings.clear()
        self.findings.addItem("Checking…")

        self.tasks.run(lambda: check_project(project, preset).to_dict(), name="preflight",
                       on_done=lambda report: self._preflight_done(number, report, ""),
                       on_failed=lambda exc: self._preflight_done(number, None, one_line(exc)))

    def _preflight_done(self, number: int, report, error: str) -> None:
        if number != self._pre_request:
            return
        self.findings.clear()
        self.preflight_report = report
        if report is None:
            self.findings.addItem(QListWidgetItem(f"⛔ {error}"))
            return
        if not report["findings"]:
            self.findings.addItem("✔ Ready to post: no problems found")
        for f in report["findings"]:
            item = QListWidgetItem(f"{LEVEL_ICONS.get(f['level'], '•')} {f['message']}")
            item.setToolTip(f["code"])
            self.findings.addItem(item)

    # -- export ----------------------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.output.text(), "MP4 video (*.mp4)")
        if path:
            self.output.setText(path if path.lower().endswith(".mp4") else path + ".mp4")

    @property
    def running(self) -> bool:
        """True from Export until the result has been shown (not merely until the thread ends)."""
        return self._export is not None

    def start_export(self) -> None:
        from studio.render.errors import Cancelled
        from studio.render.export import ExportOptions, export_project

        if self.running:
            return
        out = Path(self.output.text()).expanduser()
        prompts = getattr(self.parent(), "prompts", None)
        if os.path.exists(out) and prompts is not None and not prompts.replace(out.name):
            self.eta.setText(f"Not exported: {out.name} is kept as it is")
            return
        try:
            out.parent.mkdir(parents=True, exist_ok=True)  # e.g. a Movies folder that does not exist yet
        except OSError:
            pass  # export_project names the folder problem in one line
        # the dialog shows the pre-flight report: the creator decides about a file that fails it
        options = ExportOptions(preset=self.preset_id, quality=self.quality.currentData(), keep_failed=True)
        project = self.document.project
        if self.range_box.isChecked() and self.document.in_out is not None:
            from studio.model import EditError
            from studio.model.ranges import part_of

            try:
                project = part_of(project, *self.document.in_out)
            except EditError as exc:
                self.eta.setText(f"Not exported: {exc}")
                return
        inputs = (self.document.path,) if self.document.path else ()  # the project file is never an output
        self._cancel = threading.Event()
        self.result, self.error = None, ""
        self.progress.setValue(0)
        self.eta.setText("starting…")
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.show_button.setEnabled(False)

        def failed(exc) -> None:
            self._finished(None, "cancelled" if isinstance(exc, Cancelled) else one_line(exc))

        self._export = self.tasks.run(export_project, project, out, options, cancel=self._cancel, inputs=inputs,
                                      report_as="progress", name="export", on_progress=self._progress,
                                      on_done=lambda result: self._finished(result, ""), on_failed=failed)

    def cancel_export(self) -> None:
        self._cancel.set()
        self.eta.setText("cancelling…")

    def _progress(self, p) -> None:
        self.progress_log.append(p)
        stage = {"checking": "Checking media", "audio": "Mixing audio", "video": "Encoding",
                 "finishing": "Finishing", "done": "Done"}.get(p.stage, p.stage)
        if p.stage == "video":
            self.progress.setValue(int(p.fraction * 1000))
            self.eta.setText(f"{stage} {p.done}/{p.total} · {format_eta(p.eta)}")
        else:
            self.eta.setText(stage)

    def _finished(self, result, error: str) -> None:
        self._export = None
        self.result, self.error = result, error
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if result is not None:
            self.progress.setValue(1000)
            passed = (result.preflight or {}).get("passed", True)
            self.eta.setText(f"Exported {result.path.name} in {result.seconds:.1f} s"
                             + ("" if passed else " · pre-flight found problems"))
            self.show_button.setEnabled(True)
            if result.preflight:
                self._preflight_done(self._pre_request, result.preflight, "")
        elif error == "cancelled":
            self.progress.setValue(0)
            self.eta.setText("Export cancelled; no file was left behind")
        else:
            self.progress.setValue(0)
            self.eta.setText(f"Export failed: {error}")

    # how a folder is shown: the desktop's file manager (a test without one swaps this)
    open_url = staticmethod(QDesktopServices.openUrl)

    def show_in_folder(self) -> bool:
        """Open the export's folder; without a file manager, say where it is and copy the path."""
        if self.result is None:
            return False
        folder = str(self.result.path.parent)
        if self.open_url(QUrl.fromLocalFile(folder)):
            return True
        QApplication.clipboard().setText(folder)
        self.eta.setText(f"No file manager here: the folder is {folder} (path copied)")
        return False

    # -- closing ---------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the export (if any) and wait for every worker thread."""
        self._pre_timer.stop()
        if self._export is not None:
            self._cancel.set()
        self.tasks.wait_all(timeout=30)
        self.cover_renderer.stop()

    def reject(self) -> None:
        if self.running:
            self.cancel_export()
        self.shutdown()
        super().reject()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
