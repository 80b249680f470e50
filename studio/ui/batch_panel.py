"""Batch export: projects (the open one or files) x presets, run N at a time in separate processes
by studio.render.batch.BatchRunner (driven from a worker thread), a progress bar per job, cancel
one or all, failures with their reason, and a summary."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QProgressBar, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from studio.model import save_project
from studio.render.batch import BatchRunner, plan_jobs
from studio.render.presets import PRESETS, QUALITY

from .tasks import Tasks, one_line


class BatchDialog(QDialog):
    def __init__(self, document, settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Batch export")
        self.setMinimumSize(760, 480)
        self.document, self.settings = document, settings
        self.tasks = Tasks(self)  # the batch runner is driven from here
        self.runner: BatchRunner | None = None
        self._batch = None  # its Task, until the summary is shown
        self._snapshots = tempfile.TemporaryDirectory(prefix="studio-batch-")
        self.statuses: dict[int, dict] = {}
        self.rows: dict[int, int] = {}
        self.summary_text = ""

        self.projects = QListWidget()
        add_open = QPushButton("Add &open project")
        add_open.clicked.connect(self.add_open_project)
        add_files = QPushButton("Add project &files…")
        add_files.clicked.connect(self._add_files)
        remove = QPushButton("&Remove")
        remove.clicked.connect(lambda: [self.projects.takeItem(self.projects.row(i)) for i in self.projects.selectedItems()])
        self.preset_boxes = {}
        presets_row = QHBoxLayout()
        presets_row.addWidget(QLabel("Presets:"))
        for number, (pid, p) in enumerate(PRESETS.items(), 1):
            # Alt+1, Alt+2, … tick the presets from the keyboard (titles share first letters)
            box = QCheckBox(f"&{number} {p.title}")
            box.setChecked(pid == settings.default_preset)
            presets_row.addWidget(box)
            self.preset_boxes[pid] = box
        presets_row.addStretch(1)
        self.workers = QSpinBox()
        self.workers.setRange(1, 8)
        self.workers.setValue(2)
        self.quality = QComboBox()
        for q in QUALITY:
            self.quality.addItem(q.capitalize(), q)
        self.quality.setCurrentIndex(self.quality.findData("standard"))
        self.out_dir = QLineEdit(str(settings.output_dir))
        browse = QPushButton("…")
        browse.setToolTip("Choose the output folder")
        browse.clicked.connect(self._browse)
        opts = QHBoxLayout()
        for text, field in (("At a &time", self.workers), ("&Quality", self.quality), ("Output fol&der", self.out_dir)):
            label = QLabel(text)
            label.setBuddy(field)
            opts.addWidget(label)
            opts.addWidget(field, 1 if field is self.out_dir else 0)
        opts.addWidget(browse)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Project", "Preset", "Progress", "Status"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.start_button = QPushButton("&Start")
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_one = QPushButton("Cancel selected")
        self.cancel_one.clicked.connect(self._cancel_selected)
        self.cancel_all = QPushButton("Cancel &all")
        self.cancel_all.clicked.connect(lambda: self.cancel(None))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        plist = QHBoxLayout()
        plist.addWidget(self.projects, 1)
        side = QVBoxLayout()
        for w in (add_open, add_files, remove):
            side.addWidget(w)
        side.addStretch(1)
        plist.addLayout(side)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for w in (self.cancel_one, self.cancel_all, self.start_button, close):
            buttons.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Projects"))
        layout.addLayout(plist)
        layout.addLayout(presets_row)
        layout.addLayout(opts)
        layout.addWidget(self.table, 2)
        layout.addLayout(buttons)

    # -- queue -----------------------------------------------------------------------------------
    def add_open_project(self) -> Path:
        """The open project as it is now (saved or not), snapshotted to a file for the worker process."""
        doc = self.document
        name = (doc.path.stem if doc.path else doc.project.name).replace(" ", "_") or "project"
        path = Path(self._snapshots.name) / f"{name}.studio"
        save_project(doc.project, path)
        self.add_project_file(path, f"{doc.path.name if doc.path else doc.project.name}  (open project, as it is now)")
        return path

    def add_project_file(self, path: Path, label: str | None = None) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        item = QListWidgetItem(label or str(path))
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(str(path))
        self.projects.addItem(item)

    def _add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add projects", "", "Studio projects (*.studio *.json)")
        for f in files:
            self.add_project_file(Path(f))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    def selected_presets(self) -> list[str]:
        return [pid for pid, box in self.preset_boxes.items() if box.isChecked()]

    # -- running ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._batch is not None

    def start(self) -> bool:
        if self.running:
            return False
        projects = [Path(self.projects.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.projects.count())]
        presets = self.selected_presets()
        out_dir = Path(self.out_dir.text()).expanduser()
        if not projects or not presets:
            self.summary.setText("Add at least one project and tick at least one preset.")
            return False
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.summary.setText(f"{out_dir}: cannot create the output folder ({exc.strerror})")
            return False
        # the window never replaces an earlier batch's files: new outputs get free names
        jobs = plan_jobs(projects, presets, out_dir, keep_existing=True)
        self.runner = BatchRunner(jobs, workers=self.workers.value(), quality=self.quality.currentData())
        self.statuses, self.rows = {}, {}
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            self.rows[job.id] = row
            self.table.setItem(row, 0, QTableWidgetItem(job.project.name))
            self.table.setItem(row, 1, QTableWidgetItem(PRESETS[job.preset].title))
            bar = QProgressBar()
            bar.setRange(0, 1000)
            self.table.setCellWidget(row, 2, bar)
            self.table.setItem(row, 3, QTableWidgetItem("queued"))
            self.statuses[job.id] = {"id": job.id, "state": "queued", "error": None, "fraction": 0.0}
        self.start_button.setEnabled(False)
        self.summary.setText(f"Running {len(jobs)} jobs, {self.workers.value()} at a time…")
        runner = self.runner

        def snapshot(status) -> dict:
            return {"id": status.job.id, "state": status.state, "fraction": status.fraction, "eta": status.eta,
                    "error": status.error, "out": str(status.job.out), "seconds": status.seconds}

        def work(report) -> list:
            # snapshots, not the runner's live JobStatus objects, travel to the UI thread
            return [snapshot(s) for s in runner.run(lambda s: report(snapshot(s)))]

        def broke(exc) -> None:  # the runner itself broke: report it as the summary
            self._done([{"id": 0, "state": "failed", "error": one_line(exc), "fraction": 0}])

        self._batch = self.tasks.run(work, report_as="report", name="batch", on_progress=self._update,
                                     on_done=self._done, on_failed=broke)
        return True

    def _update(self, s: dict) -> None:
        self.statuses[s["id"]] = s
        row = self.rows.get(s["id"])
        if row is None:
            return
        bar = self.table.cellWidget(row, 2)
        bar.setValue(int(s["fraction"] * 1000))
        text = s["state"]
        if s["state"] == "running" and s.get("eta") is not None:
            text = f"running · {int(s['eta'])} s left"
        elif s["state"] == "failed":
            text = f"failed: {s['error']}"
        elif s["state"] == "done":
            text = f"done in {s['seconds']:.1f} s → {Path(s['out']).name}"
        item = QTableWidgetItem(text)
        if s["state"] == "failed":
            item.setForeground(Qt.GlobalColor.red)
            item.setToolTip(s["error"] or "")
        self.table.setItem(row, 3, item)

    def _done(self, statuses: list) -> None:
        for s in statuses:
            if s["id"] in self.rows:
                self._update(s)
        self._batch = None
        self.start_button.setEnabled(True)
        counts = {k: sum(s["state"] == k for s in statuses) for k in ("done", "failed", "cancelled")}
        failed = [s for s in statuses if s["state"] == "failed"]
        written = [Path(s["out"]).name for s in statuses if s["state"] == "done" and s.get("out")]
        self.summary_text = (f"{counts['done']} done, {counts['failed']} failed, {counts['cancelled']} cancelled"
                             + (f" — wrote {', '.join(written[:4])}" + (" …" if len(written) > 4 else "")
                                if written else "")
                             + "".join(f"\n• job {s['id']}: {s['error']}" for s in failed[:3]))
        self.summary.setText(self.summary_text)

    def _cancel_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        for job_id, row in self.rows.items():
            if row in rows:
                self.cancel(job_id)

    def cancel(self, job_id: int | None) -> None:
        if self.runner is not None:
            self.runner.cancel(job_id)

    def shutdown(self) -> None:
        if self.running:
            self.cancel(None)
        self.tasks.wait_all(timeout=60)
        self._snapshots.cleanup()

    def reject(self) -> None:
        self.shutdown()
        super().reject()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
