"""The Captions tab (Edit mode): generate word-timed captions from the project's own sound (or time
a pasted script to it) in the background, then edit them in a list — text inline, split at the
cursor's word, merge with the next line, shift, restyle all, delete, import/export SRT/VTT. Every
change is a pure edit from studio.captions.edits, pushed as one named undo step on the project's
undo stack; the panel holds no edit logic of its own."""
from __future__ import annotations

import threading
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QProgressBar,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from studio.captions import edits as ce
from studio.captions.errors import CaptionError
from studio.library.errors import LibraryError
from studio.media.errors import MediaError
from studio.model import EditError

from .tasks import Tasks, one_line

SUBTITLE_FILTER = "Subtitles (*.srt *.vtt);;SubRip (*.srt);;WebVTT (*.vtt);;Studio captions (*.json)"
LANGUAGES = (("English", "en"), ("Detect (Whisper)", "auto"), ("German", "de"), ("Spanish", "es"),
             ("French", "fr"), ("Italian", "it"), ("Portuguese", "pt"), ("Dutch", "nl"), ("Polish", "pl"),
             ("Turkish", "tr"), ("Russian", "ru"), ("Japanese", "ja"), ("Chinese", "zh"), ("Hindi", "hi"))
ID_ROLE = Qt.ItemDataRole.UserRole
TEXT_COLUMN = 2
REFUSED = (CaptionError, LibraryError, EditError, MediaError, OSError)  # said on one line, nothing changes


def clock(frames: int, fps) -> str:
    """m:ss.ss of a frame (caption times are read to the hundredth)."""
    seconds = float(Fraction(frames) / Fraction(fps))
    return f"{int(seconds // 60)}:{seconds % 60:05.2f}"


def engine_text(language: str | None) -> tuple[str, str, str]:
    """(which engine "Generate" uses for `language`, how to get the better one or "", the
    engines' full reason as a tooltip)."""
    from studio.captions.engines import (DEFAULT_WHISPER_SIZE, PocketsphinxEngine, WhisperEngine, engine_status,
                                         whisper_model_dir)

    name, note = engine_status(language)
    folder = whisper_model_dir()
    download = f"studio captions --download-model {DEFAULT_WHISPER_SIZE}"
    if name == "whisper":
        return f"Using {WhisperEngine.title}, model in {folder}.", "", ""
    if not WhisperEngine.installed():
        how = f"pip install faster-whisper, then put a model in {folder} ({download} fetches one, once)."
    else:
        how = f"put a faster-whisper model in {folder} ({download} fetches one, once)."
    if name == "pocketsphinx":
        return f"Using {PocketsphinxEngine.title}.", f"For better captions and other languages: {how}", note
    return "No speech engine for this language.", f"Whisper knows it: {how}", note


def split_word(text: str, cursor: int) -> int:
    """The word a line splits before for a text cursor at `cursor`: after the word it ends or
    stands behind, before the word it is inside."""
    prefix = text[:cursor]
    words = len(prefix.split())
    inside = bool(prefix) and not prefix[-1].isspace() and cursor < len(text) and not text[cursor].isspace()
    return words - 1 if inside else words


class CaptionsPanel(QWidget):
    status = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.tasks = Tasks(self)
        self._cancel = threading.Event()
        self._filling = False

        # -- generate
        gen = QGroupBox("Generate captions")
        self.language = QComboBox()
        for title, code in LANGUAGES:
            self.language.addItem(title, code)
        self.language.currentIndexChanged.connect(lambda _: self.update_engine())
        self.script = QPlainTextEdit()
        self.script.setPlaceholderText("Script (optional): paste what you said and Studio times each word to "
                                       "the sound. Leave empty to recognise the speech.")
        self.script.setFixedHeight(48)
        self.generate_button = QPushButton("Generate captions")
        self.generate_button.setObjectName("primary")
        self.generate_button.setToolTip("Captions from the sound of the clips and voice-overs (music is left out); "
                                        "replaces the Captions track, one undo step")
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.engine_label = QLabel()
        self.engine_label.setWordWrap(True)
        self.better_label = QLabel()
        self.better_label.setWordWrap(True)
        self.better_label.setObjectName("hint")
        self.better_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        g = QGridLayout(gen)
        g.setContentsMargins(6, 4, 6, 6)
        g.setVerticalSpacing(4)
        g.addWidget(self.language, 0, 0)
        g.addWidget(self.generate_button, 0, 1)
        g.addWidget(self.cancel_button, 0, 2)
        g.addWidget(self.script, 1, 0, 1, 3)
        g.addWidget(self.progress, 2, 0, 1, 3)
        g.addWidget(self.engine_label, 3, 0, 1, 3)
        g.addWidget(self.better_label, 4, 0, 1, 3)
        g.setColumnStretch(1, 1)

        # -- the lines
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Start", "End", "Text"])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.itemChanged.connect(self._cell_changed)
        self.table.itemSelectionChanged.connect(self._rows_selected)
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText("Select a line to edit it (or double-click its text)")
        self.line_edit.setToolTip("Enter applies the text; Split cuts the line before the word at the cursor")
        self.line_edit.returnPressed.connect(lambda: self.set_text(self.line_edit.text()))

        def button(text, slot, tip=""):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False: slot())
            b.setToolTip(tip)
            return b

        self.split_button = button("Split", self.split_selected, "Split the line before the word at the cursor")
        self.merge_button = button("Merge ↓", self.merge_selected, "Join the line with the next one")
        self.delete_button = button("Delete", self.delete_selected, "Remove the selected line(s)")
        self.earlier_button = button("−0.1 s", lambda: self.shift(-0.1), "Show the captions 0.1 s earlier")
        self.later_button = button("+0.1 s", lambda: self.shift(0.1), "Show the captions 0.1 s later")
        self.shift_value = QDoubleSpinBox()
        self.shift_value.setRange(-30.0, 30.0)
        self.shift_value.setSingleStep(0.1)
        self.shift_value.setDecimals(2)
        self.shift_value.setValue(0.5)
        self.shift_value.setSuffix(" s")
        self.shift_button = button("Shift", lambda: self.shift(self.shift_value.value()), "Move the captions in time")
        self.selected_only = QCheckBox("Selected only")
        self.selected_only.setToolTip("Shift only the selected lines (they stop at their neighbours)")
        self.style = QComboBox()
        self.fill_styles()
        self.restyle_button = button("Restyle all", lambda: self.restyle(self.style.currentData()),
                                     "Every caption line in this text style (also used for new captions)")
        self.import_button = button("Import SRT/VTT…", self.import_dialog,
                                    "Replace the captions with a subtitle file's")
        self.export_button = button("Export SRT/VTT…", self.export_dialog, "Write the captions as a subtitle file")
        row1 = QHBoxLayout()
        for b in (self.split_button, self.merge_button, self.delete_button, self.earlier_button, self.later_button):
            row1.addWidget(b)
        row2 = QHBoxLayout()
        for w in (self.shift_value, self.shift_button, self.selected_only):
            row2.addWidget(w)
        row2.addStretch(1)
        row3 = QHBoxLayout()
        row3.addWidget(self.style, 1)
        row3.addWidget(self.restyle_button)
        row4 = QHBoxLayout()
        row4.addWidget(self.import_button)
        row4.addWidget(self.export_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("hint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(gen)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.line_edit)
        for row in (row1, row2, row3, row4):
            layout.addLayout(row)
        layout.addWidget(self.message)

        document.project_changed.connect(lambda _: self.refresh())
        document.selection_changed.connect(self._document_selected)
        self.update_engine()
        self.refresh()

    # -- showing -----------------------------------------------------------------------------------
    def fill_styles(self) -> None:
        """The text styles the library has now (word-by-word styles included when it has them)."""
        from studio.library.styles import list_styles

        current = self.style.currentData() or ce.caption_style(self.document.project) or ce.DEFAULT_STYLE
        self.style.blockSignals(True)
        self.style.clear()
        for style in list_styles():
            self.style.addItem(style.title, style.id)
        index = self.style.findData(current)
        self.style.setCurrentIndex(max(0, index))
        self.style.blockSignals(False)

    def update_engine(self) -> None:
        using, better, why = engine_text(self.language.currentData())
        self.engine_label.setText(using)
        self.better_label.setText(better)
        self.better_label.setToolTip(why)
        self.better_label.setVisible(bool(better))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.status.emit(text)

    def lines(self) -> list:
        return ce.caption_items(self.document.project)

    def refresh(self) -> None:
        """The list from the project (the selected lines stay selected)."""
        project = self.document.project
        keep = set(self.selected_ids())
        items = self.lines()
        self._filling = True
        try:
            self.table.setRowCount(len(items))
            self.table.clearSelection()
            selection = self.table.selectionModel()
            for row, item in enumerate(items):
                shown = (clock(item.start, project.fps), clock(item.end, project.fps), item.content)
                for col, text in enumerate(shown):
                    cell = QTableWidgetItem(text)
                    cell.setData(ID_ROLE, item.id)
                    if col != TEXT_COLUMN:
                        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.table.setItem(row, col, cell)
                if item.id in keep:
                    selection.select(self.table.model().index(row, 0),
                                     selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        finally:
            self._filling = False
        self._sync_line_edit()
        has = bool(items)
        for b in (self.split_button, self.merge_button, self.delete_button, self.earlier_button, self.later_button,
                  self.shift_button, self.restyle_button, self.export_button):
            b.setEnabled(has)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).data(ID_ROLE) for r in rows if self.table.item(r, 0) is not None]

    def select_line(self, item_id: str) -> None:
        """Select one line's row (as a click on it would: the playhead goes to its start)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) == item_id:
                selection = self.table.selectionModel()
                index = self.table.model().index(row, 0)
                selection.setCurrentIndex(index, selection.SelectionFlag.NoUpdate)
                selection.select(index, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows)
                self.table.scrollToItem(self.table.item(row, 0))
                return

    def _current(self):
        ids = self.selected_ids()
        if not ids:
            self.say("Select a caption line first")
            return None
        return next((i for i in self.lines() if i.id == ids[0]), None)

    def _sync_line_edit(self) -> None:
        item = next((i for i in self.lines() if i.id in self.selected_ids()[:1]), None)
        if item is None:
            self.line_edit.clear()
        elif self.line_edit.text() != item.content:
            self.line_edit.setText(item.content)

    def _rows_selected(self) -> None:
        if self._filling:
            return
        ids = self.selected_ids()
        self._sync_line_edit()
        if not ids:
            return
        first = next((i for i in self.lines() if i.id == ids[0]), None)
        self._filling = True  # the document's selection echo must not reselect rows
        try:
            self.document.select(ids)
            if first is not None:
                self.document.set_playhead(first.start)
        finally:
            self._filling = False

    def _document_selected(self, ids) -> None:
        """A caption picked on the timeline is the list's current line too (the playhead stays)."""
        if self._filling:
            return
        caption_ids = {i.id for i in self.lines()}
        chosen = [i for i in ids if i in caption_ids]
        if not chosen or set(chosen) == set(self.selected_ids()):
            return
        self._filling = True
        try:
            self.table.clearSelection()
            selection = self.table.selectionModel()
            for row in range(self.table.rowCount()):
                if self.table.item(row, 0).data(ID_ROLE) in chosen:
                    selection.select(self.table.model().index(row, 0),
                                     selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
                    self.table.scrollToItem(self.table.item(row, 0))
        finally:
            self._filling = False
        self._sync_line_edit()

    # -- edits (each one undo step) ------------------------------------------------------------------
    def _push(self, name: str, make) -> bool:
        try:
            project = make(self.document.project)
        except REFUSED as exc:
            self.say(one_line(exc))
            return False
        if not self.document.replace(name, project):
            return False
        self.say(name)
        return True

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._filling or cell.column() != TEXT_COLUMN:
            return
        item_id, text = cell.data(ID_ROLE), cell.text()
        # applied once the table has finished its edit (the list is rebuilt from the project)
        QTimer.singleShot(0, lambda: self.set_text(text, item_id))

    def set_text(self, text: str, item_id: str | None = None) -> bool:
        item = next((i for i in self.lines() if i.id == item_id), None) if item_id else self._current()
        if item is None:
            return False
        if " ".join(text.split()) == item.content:
            return False
        ok = self._push(f"Edit caption {ce.quoted(item.content)}", lambda p: ce.set_line_text(p, item.id, text))
        if not ok:
            self.refresh()  # the cell shows the project's text again
        return ok

    def split_selected(self, at_word: int | None = None) -> bool:
        item = self._current()
        if item is None:
            return False
        words = ce.word_times(item)
        if at_word is None:
            at_word = split_word(self.line_edit.text(), self.line_edit.cursorPosition()) \
                if self.line_edit.text() == item.content else 0
            if not 0 < at_word < len(words):
                # no cursor inside the line: the word being said at the playhead, else the middle
                at = self.document.playhead - item.start
                at_word = next((k for k, w in enumerate(words) if k and w.start >= at), len(words) // 2) \
                    if 0 < at < item.duration else len(words) // 2
        return self._push(f"Split caption {ce.quoted(item.content)}", lambda p: ce.split_line(p, item.id, at_word))

    def merge_selected(self) -> bool:
        item = self._current()
        if item is None:
            return False
        return self._push(f"Merge caption {ce.quoted(item.content)} with the next",
                          lambda p: ce.merge_with_next(p, item.id))

    def delete_selected(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            self.say("Select a caption line first")
            return False
        items = [i for i in self.lines() if i.id in ids]
        name = f"Delete caption {ce.quoted(items[0].content)}" if len(items) == 1 else f"Delete {len(items)} captions"

        def run(project):
            for item_id in ids:
                project = ce.delete_line(project, item_id)
            return project

        return self._push(name, run)

    def shift(self, seconds: float) -> bool:
        ids = self.selected_ids() if self.selected_only.isChecked() else None
        if ids == []:
            self.say("Select the caption lines to shift")
            return False
        moved = ce.shift_frames(self.document.project, seconds, ids)
        if moved == 0:
            self.say("The captions cannot move further that way")
            return False
        actual = moved / float(self.document.project.fps)
        what = "captions" if ids is None else f"{len(ids)} caption line{'s' if len(ids) > 1 else ''}"
        return self._push(f"Shift {what} {actual:+.2f} s", lambda p: ce.shift_captions(p, seconds, ids))

    def restyle(self, style: str) -> bool:
        if not self.lines():
            self.say("No captions to restyle yet: generate or import them first")
            return False
        return self._push("Restyle captions", lambda p: ce.restyle_captions(p, style))

    def import_file(self, path) -> bool:
        path = Path(path)
        style = self.style.currentData() if not self.lines() else None
        return self._push(f"Import captions from {path.name}", lambda p: ce.import_subtitles(p, path, style))

    def export_file(self, path) -> Path | None:
        try:
            written = ce.export_subtitles(self.document.project, path)
        except REFUSED as exc:
            self.say(one_line(exc))
            return None
        self.say(f"Wrote {len(self.lines())} caption lines to {written.name}")
        return written

    def import_dialog(self) -> bool:
        path = QFileDialog.getOpenFileName(self, "Import captions", "", SUBTITLE_FILTER)[0]
        return self.import_file(path) if path else False

    def export_dialog(self) -> Path | None:
        suggested = (self.document.path.with_suffix(".srt") if self.document.path
                     else Path(f"{self.document.project.name or 'captions'}.srt"))
        path, chosen = QFileDialog.getSaveFileName(self, "Export captions", str(suggested),
                                                   "SubRip (*.srt);;WebVTT (*.vtt);;Studio captions (*.json)")
        if not path:
            return None
        if not Path(path).suffix:
            path += ".vtt" if "vtt" in chosen else ".json" if "json" in chosen else ".srt"
        return self.export_file(path)

    # -- generating ----------------------------------------------------------------------------------
    def generate(self) -> bool:
        """Captions for the project's sound in the background; they replace the Captions track
        as one undo step when they arrive (nothing changes when there is no speech)."""
        from studio.captions.edits import project_captions

        if self.tasks.running:
            return False
        script = self.script.toPlainText().strip() or None
        language = self.language.currentData()
        self._cancel = threading.Event()
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy: the engines do not say how far they are
        self.say("Timing your script to the sound…" if script else "Listening to the clips and voice-overs…")
        self.tasks.run(project_captions, self.document.project, script, language, cancel=self._cancel,
                       name="captions", report_as="progress", on_progress=self._progress,
                       on_done=self._generated, on_failed=self._failed)
        return True

    def cancel(self) -> None:
        if self.tasks.running:
            self._cancel.set()
            self.say("Cancelling… (the captions are left as they were)")

    def _progress(self, text: str) -> None:
        if not self._cancel.is_set():
            self.message.setText(text[:1].upper() + text[1:] + "…")

    def _finish(self) -> None:
        self.generate_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def _generated(self, captions) -> None:
        from studio.captions.timeline import add_captions

        self._finish()
        if self._cancel.is_set():
            self.say("Captions cancelled; nothing was changed")
            return
        style = ce.caption_style(self.document.project) or self.style.currentData() or ce.DEFAULT_STYLE
        if self._push("Generate captions", lambda p: add_captions(p, list(captions.lines), style)):
            self.say(captions.describe().split("; whisper")[0])
            self.table.scrollToTop()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if self._cancel.is_set():
            self.say("Captions cancelled; nothing was changed")
            return
        if not isinstance(exc, REFUSED):
            raise exc
        self.say(f"No captions: {one_line(exc)}. Nothing was changed.")

    def shutdown(self) -> None:
        self._cancel.set()
        self.tasks.wait_all(timeout=60)
