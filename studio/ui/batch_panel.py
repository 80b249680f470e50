"""Batch export: projects (the open one or files) x presets, run N at a time in separate processes
by studio.render.batch.BatchRunner (driven from a worker thread), a progress bar per job, cancel
one or all, failures with their reason, and a summary.

With rows in the variants table, the batch makes the open project's variants x presets instead
(studio.batch.variants: hook, text:ITEM_ID, caption, hashtags, sound, look, cover, ...): rows can be
added, duplicated, deleted, imported from and exported to CSV, and one row previewed in the
window's player (the variant applied to the open project, which is not changed); the report
(report.html, contact_sheet.png) is written to the output folder after every batch."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QProgressBar, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from studio.batch.report import summary as batch_summary, write_report
from studio.batch.variants import COLUMNS, VariantError, apply_variant, check_variants, \
    rows_from_csv, variants_csv, variants_from_rows
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

        self.variants = QTableWidget(0, len(COLUMNS))
        self.variants.setHorizontalHeaderLabels(list(COLUMNS))
        self.variants.setToolTip("Variants of the open project, a row each; an empty cell keeps the project's value. "
                                 "Add text:ITEM_ID columns by importing a CSV.")
        self.variants.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        variant_buttons = QHBoxLayout()
        variant_buttons.addWidget(QLabel("Variants of the open project"))
        variant_buttons.addStretch(1)
        for text, slot in (("Add row", self.add_variant_row), ("Duplicate", self.duplicate_variant_row),
                           ("Delete", self.delete_variant_rows), ("Import CSV…", self._import_csv),
                           ("Export CSV…", self._export_csv), ("Preview row", self.preview_variant_row)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, slot=slot: slot())
            variant_buttons.addWidget(button)
        self.previewed = None  # the last variant project shown in the player
        self.report_paths: tuple[Path, Path] | None = None

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
        layout.addLayout(variant_buttons)
        layout.addWidget(self.variants, 1)
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

    # -- variants --------------------------------------------------------------------------------
    def variant_columns(self) -> list[str]:
        return [self.variants.horizontalHeaderItem(c).text() for c in range(self.variants.columnCount())]

    def add_variant_row(self, values: dict | None = None) -> int:
        values = values or {}
        for column in values:
            if column not in self.variant_columns():
                self.variants.insertColumn(self.variants.columnCount())
                self.variants.setHorizontalHeaderItem(self.variants.columnCount() - 1, QTableWidgetItem(column))
        row = self.variants.rowCount()
        self.variants.insertRow(row)
        names = {r.get("name") for r in self.variant_rows()}
        if not values.get("name"):
            n = row + 1
            while f"variant-{n}" in names:
                n += 1
            values = {**values, "name": f"variant-{n}"}
        for c, column in enumerate(self.variant_columns()):
            self.variants.setItem(row, c, QTableWidgetItem(str(values.get(column, ""))))
        return row

    def duplicate_variant_row(self) -> None:
        rows = self.variant_rows()
        current = self.variants.currentRow()
        if 0 <= current < len(rows):
            self.add_variant_row({**rows[current], "name": f"{rows[current]['name']} copy"})

    def delete_variant_rows(self) -> None:
        for row in sorted({i.row() for i in self.variants.selectedIndexes()}, reverse=True):
            self.variants.removeRow(row)

    def variant_rows(self) -> list[dict[str, str]]:
        columns = self.variant_columns()
        return [{column: (self.variants.item(r, c).text() if self.variants.item(r, c) else "")
                 for c, column in enumerate(columns)} for r in range(self.variants.rowCount())]

    def table_variants(self) -> list:
        """The table's rows as variants (VariantError names a bad row and column)."""
        rows = [r for r in self.variant_rows() if any(v.strip() for v in r.values())]
        return variants_from_rows(rows, "variants") if rows else []

    def import_variants_csv(self, path: Path) -> None:
        rows = rows_from_csv(Path(path).read_text(encoding="utf-8-sig"), Path(path).name)
        variants_from_rows(rows, Path(path).name)  # refuse a bad table before it replaces the rows
        self.variants.setRowCount(0)
        for row in rows:
            self.add_variant_row(row)

    def export_variants_csv(self, path: Path) -> None:
        Path(path).write_text(variants_csv(self.table_variants()), encoding="utf-8")

    def _import_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import variants", "", "Variants (*.csv)")
        if name:
            try:
                self.import_variants_csv(Path(name))
            except (OSError, VariantError) as exc:
                self.summary.setText(one_line(exc))

    def _export_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export variants", "variants.csv", "Variants (*.csv)")
        if name:
            try:
                self.export_variants_csv(Path(name))
            except (OSError, VariantError) as exc:
                self.summary.setText(one_line(exc))

    def preview_variant_row(self, row: int | None = None):
        """The row's variant applied to the open project (not changed, not saved) and shown in the
        window's player at the playhead; returns that project (None when the row is not usable)."""
        row = self.variants.currentRow() if row is None else row
        try:
            variants = self.table_variants()
            if not 0 <= row < len(variants):
                self.summary.setText("Select a variant row to preview.")
                return None
            check_variants(self.document.project, [variants[row]])
            project = apply_variant(self.document.project, variants[row])
        except VariantError as exc:
            self.summary.setText(one_line(exc))
            return None
        self.previewed = project
        preview = getattr(self.parent(), "preview", None)
        if preview is not None:  # a revision of its own: never confused with the document's frames
            preview.renderer.request(project, -1 - id(project) % 1_000_000, self.document.playhead,
                                     preview.render_size)
        self.summary.setText(f"Previewing {variants[row].name} in the player (the project is unchanged).")
        return project

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
        try:
            variants = self.table_variants()
        except VariantError as exc:
            self.summary.setText(one_line(exc))
            return False
        if not (projects or variants) or not presets:
            self.summary.setText("Add at least one project (or variants of the open one) and tick at least one preset.")
            return False
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.summary.setText(f"{out_dir}: cannot create the output folder ({exc.strerror})")
            return False
        # the window never replaces an earlier batch's files: new outputs get free names
        if variants:
            from studio.batch.plan import plan_variant_jobs

            doc = self.document
            name = (doc.path.stem if doc.path else doc.project.name).replace(" ", "_") or "project"
            snapshot = save_project(doc.project, Path(self._snapshots.name) / f"{name}.studio")
            try:
                jobs = plan_variant_jobs(snapshot, variants, presets, out_dir, Path(self._snapshots.name),
                                         keep_existing=True)
            except VariantError as exc:
                self.summary.setText(one_line(exc))
                return False
        else:
            jobs = plan_jobs(projects, presets, out_dir, keep_existing=True)
        self.runner = BatchRunner(jobs, workers=self.workers.value(), quality=self.quality.currentData())
        self.statuses, self.rows = {}, {}
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            self.rows[job.id] = row
            self.table.setItem(row, 0, QTableWidgetItem(f"{job.project.name} · {job.variant}" if job.variant
                                                        else job.project.name))
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
            statuses = runner.run(lambda s: report(snapshot(s)))
            try:
                self.report_paths = write_report(out_dir, batch_summary(statuses))
            except OSError:
                self.report_paths = None
            return [snapshot(s) for s in statuses]

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
