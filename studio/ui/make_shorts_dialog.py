"""Make shorts: a 9:16 short around each marker of a project (the highlights of a LIVE, or any
marker set in Edit mode), through studio.live.shorts. The dialog lists each marker with the part
it will cut (seconds before and after are editable and the plan follows at once), the preset,
"Add captions" and the folder; it exports off the UI thread with a progress bar and Cancel, then
shows each short with its pre-flight verdict and an Open button."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from studio.live.shorts import AFTER, BEFORE, make_shorts, plan_shorts
from studio.render.presets import PRESETS

from .tasks import Tasks, one_line

COLUMNS = ("Highlight", "At", "Short", "Length", "Result", "")


def _clock(seconds: float) -> str:
    s = max(0.0, seconds)
    return f"{int(s // 60)}:{s % 60:04.1f}"


def _make(project, out_dir, *, report, **options):
    """The worker thread: make_shorts with its progress steps reported as one value each."""
    return make_shorts(project, out_dir, progress=lambda done, total, line: report((done, total, line)), **options)


class MakeShortsDialog(QDialog):
    def __init__(self, project, path: Path | None, settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Make shorts")
        self.setMinimumSize(820, 460)
        self.project, self.path, self.settings = project, path, settings
        self.tasks = Tasks(self)
        self._job = None
        self._cancel = None
        self.results: list = []
        self.plans: list = []

        n = len(project.markers)
        name = path.name if path is not None else project.name
        self.heading = QLabel(f"<b>{n} marker{'s' if n != 1 else ''}</b> in {name}: each becomes a 9:16 short "
                              "that starts a little before it (you press Highlight after the moment)."
                              if n else f"{name} has no markers. Add one in Edit mode (M) at each moment worth "
                                        "a short, or mark highlights (H) while live.")
        self.heading.setWordWrap(True)
        self.before = self._seconds(BEFORE, "Seconds of the short before each marker")
        self.after = self._seconds(AFTER, "Seconds of the short after each marker")
        self.preset = QComboBox()
        for pid, preset in PRESETS.items():
            self.preset.addItem(preset.title, pid)
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.default_preset)))
        self.captions = QCheckBox("Add captions")
        self.captions.setToolTip("Caption each short's speech (needs a speech recogniser; silent shorts get none)")
        default_out = (path.parent if path is not None else settings.output_dir) / "Shorts"
        self.out_dir = QLineEdit(str(default_out))
        browse = QPushButton("…")
        browse.setToolTip("Choose the folder for the shorts")
        browse.clicked.connect(self._browse)
        options = QHBoxLayout()
        for text, widget in (("Before", self.before), ("After", self.after), ("Preset", self.preset)):
            label = QLabel(text)
            label.setBuddy(widget)
            options.addWidget(label)
            options.addWidget(widget)
        options.addWidget(self.captions)
        options.addStretch(1)
        folder = QHBoxLayout()
        folder.addWidget(QLabel("Folder"))
        folder.addWidget(self.out_dir, 1)
        folder.addWidget(browse)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # the Open buttons: a fixed column (a cell widget does not size its column to its contents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(5, 76)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.line = QLabel("")
        self.line.setWordWrap(True)
        self.start_button = QPushButton("Make shorts")
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.folder_button = QPushButton("Open folder")
        self.folder_button.clicked.connect(lambda: self.open_path(Path(self.out_dir.text()).expanduser()))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.line, 1)
        for b in (self.folder_button, self.cancel_button, self.start_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(options)
        layout.addLayout(folder)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.before.valueChanged.connect(lambda _: self.replan())
        self.after.valueChanged.connect(lambda _: self.replan())
        self.replan()
        self._update_buttons()

    @staticmethod
    def _seconds(value: float, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0.0, 600.0)
        box.setDecimals(1)
        box.setSingleStep(1.0)
        box.setSuffix(" s")
        box.setValue(value)
        box.setToolTip(tip)
        return box

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the shorts", self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    # -- the plan --------------------------------------------------------------------------------
    def replan(self) -> None:
        """One row per marker: where its short starts and ends with the seconds chosen now."""
        fps = float(self.project.fps)
        self.plans = plan_shorts(self.project, self.before.value(), self.after.value())
        self.results = []
        self.table.setRowCount(len(self.plans))
        for row, plan in enumerate(self.plans):
            cells = (plan.marker.name or f"Marker {row + 1}", _clock(plan.marker.frame / fps),
                     f"{_clock(plan.start / fps)} – {_clock(plan.end / fps)}", f"{plan.seconds(fps):.1f} s",
                     f"{plan.name}.mp4")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self.table.setCellWidget(row, 5, None)
        self._update_buttons()

    # -- running ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._job is not None

    def start(self) -> bool:
        import threading

        if self.running or not self.plans:
            return False
        out = Path(self.out_dir.text()).expanduser()
        auto = None
        if self.captions.isChecked():
            from studio.captions.quick_step import AutoCaptions

            auto = AutoCaptions(preset=self.preset.currentData())
        self._cancel = threading.Event()
        self.progress.setValue(0)
        self.line.setText(f"Making {len(self.plans)} short(s)…")
        for row in range(len(self.plans)):
            self.table.setItem(row, 4, QTableWidgetItem("waiting"))
            self.table.setCellWidget(row, 5, None)
        self._job = self.tasks.run(_make, self.project, out, preset=self.preset.currentData(),
                                   before=self.before.value(), after=self.after.value(), auto_captions=auto,
                                   cancel=self._cancel, name="shorts", report_as="report",
                                   on_progress=self._progress, on_done=self._done,
                                   on_failed=lambda exc: self._done(None, one_line(exc)))
        self._update_buttons()
        return True

    def _progress(self, value) -> None:
        done, total, line = value
        self.progress.setValue(round(1000 * done / max(1, total)))
        self.line.setText(line if line != "done" else "Finishing…")
        if done < len(self.plans) and line != "done":
            self.table.setItem(done, 4, QTableWidgetItem("exporting…"))

    def _done(self, results, error: str | None = None) -> None:
        self._job = None
        self.results = results or []
        cancelled = self._cancel is not None and self._cancel.is_set()
        for row, result in enumerate(self.results):
            cell = QTableWidgetItem(self.verdict(result))
            cell.setToolTip("\n".join([str(result.path or result.plan.name)] + result.problems))
            self.table.setItem(row, 4, cell)
            if result.path is not None:
                b = QPushButton("Open")
                b.setToolTip(str(result.path))
                b.clicked.connect(lambda _=False, p=result.path: self.open_path(p))
                self.table.setCellWidget(row, 5, b)
        for row in range(len(self.results), len(self.plans)):
            self.table.setItem(row, 4, QTableWidgetItem("cancelled" if cancelled else "not made"))
        made = sum(1 for r in self.results if r.path is not None)
        self.progress.setValue(1000 if made and not cancelled else self.progress.value())
        if error:
            self.line.setText(f"Shorts failed: {error}")
        elif cancelled:
            self.line.setText(f"Cancelled: {made} short(s) made, the one being exported was not kept")
        else:
            self.line.setText(f"{made} of {len(self.plans)} short(s) made in {self.out_dir.text()}")
        self._update_buttons()

    @staticmethod
    def verdict(result) -> str:
        if result.path is None:
            return f"✗ {result.error or 'not made'}"
        if result.passed is None:
            return "✓ made"
        if result.passed:
            return "✓ made · pre-flight passed"
        return "⚠ made · " + ("; ".join(result.problems) or "pre-flight found problems")

    def cancel(self) -> None:
        if self._cancel is not None and self.running:
            self._cancel.set()
            self.line.setText("Cancelling…")

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running and bool(self.plans))
        self.cancel_button.setEnabled(running)
        for w in (self.before, self.after, self.preset, self.captions, self.out_dir):
            w.setEnabled(not running)
        self.folder_button.setEnabled(Path(self.out_dir.text()).expanduser().is_dir())

    # how a file or folder is shown: the desktop's handler (a test without one swaps this)
    open_url = staticmethod(QDesktopServices.openUrl)

    def open_path(self, path: Path) -> bool:
        if self.open_url(QUrl.fromLocalFile(str(path))):
            return True
        QApplication.clipboard().setText(str(path))
        self.line.setText(f"Nothing here opens it: {path} (path copied)")
        return False

    # -- closing ---------------------------------------------------------------------------------
    def shutdown(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self.tasks.wait_all(timeout=60)

    def reject(self) -> None:
        self.shutdown()
        super().reject()
