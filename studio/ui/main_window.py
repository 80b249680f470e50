"""The main window: Record, Edit and Live modes, menus and shortcuts, project files (new/open/save,
recent files, autosave and recovery, backups, relink), and the dialogs. It wires views to the
document; it holds no edit logic of its own."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (QApplication, QButtonGroup, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QPushButton, QSplitter, QStackedWidget, QTabWidget, QUndoView, QVBoxLayout, QWidget)

from studio.model import Project, ProjectError, load_project

from . import project_files
from .actions import EditActions
from .batch_panel import BatchDialog
from .document import ProjectDocument
from .export_dialog import ExportDialog
from .inspector import Inspector
from .item_factory import missing_media
from .library_panels import LibraryTabs
from .live_panel import LivePanel
from .preview import PreviewPanel
from .record_panel import RecordPanel
from .relink_dialog import RelinkDialog
from .settings import Settings
from .settings_dialog import SettingsDialog
from .thumbnails import ThumbnailService
from .timeline_view import TimelinePanel

PROJECT_FILTER = "Studio projects (*.studio);;All files (*)"
MODES = (("record", "●  Record"), ("edit", "✎  Edit"), ("live", "◉  Live"))


class Prompts:
    """Every question the window asks, in one place (tests swap in canned answers)."""

    def __init__(self, window: QMainWindow):
        self.window = window

    def unsaved(self, name: str) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"“{name}” has changes that are not saved.", parent=self.window)
        save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Don't save", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def recover(self, recovery: project_files.Recovery) -> str:
        """'recover', 'discard' or 'later'."""
        import time

        what = recovery.original.name if recovery.original else "an unsaved project"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.saved_at))
        box = QMessageBox(QMessageBox.Icon.Question, "Recover work?",
                          f"Studio did not close properly last time. An autosave of {what} from {when} was found.",
                          parent=self.window)
        rec = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
        dis = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return "recover" if box.clickedButton() is rec else "discard" if box.clickedButton() is dis else "later"

    def relink(self, count: int) -> bool:
        return QMessageBox.question(self.window, "Missing media",
                                    f"{count} file(s) used by this project are missing. Find them now?") \
            == QMessageBox.StandardButton.Yes

    def replace(self, name: str) -> bool:
        """Export over an existing file? (the export itself is all-or-nothing either way)"""
        return QMessageBox.question(self.window, "Replace file?", f"“{name}” already exists. Replace it?",
                                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                    QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.window, title, text)

    def open_path(self) -> str:
        return QFileDialog.getOpenFileName(self.window, "Open project", "", PROJECT_FILTER)[0]

    def save_path(self, suggested: str) -> str:
        path = QFileDialog.getSaveFileName(self.window, "Save project as", suggested, PROJECT_FILTER)[0]
        if path and not Path(path).suffix:
            path += ".studio"
        return path


class MainWindow(QMainWindow):
    def __init__(self, project: Project | None = None, path: Path | None = None, settings: Settings | None = None,
                 prompts: Prompts | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.prompts = prompts or Prompts(self)
        from .undo_keys import UndoKeysToProject  # Ctrl+Z from number fields goes to the project
        self._undo_keys = UndoKeysToProject(self)
        QApplication.instance().installEventFilter(self._undo_keys)  # removed when the window is destroyed
        self.document = ProjectDocument(project or Project(), path, self)
        self.autosave = project_files.AutosaveStore(self.settings.recovery_dir)
        self.thumbnails = ThumbnailService(self)
        self.actions_ = EditActions(self.document, self)
        self._dialogs: list = []
        self._closing_ok = False
        self.setWindowTitle("Studio")
        self.resize(1400, 880)
        self.setAcceptDrops(True)

        # -- views
        self.preview = PreviewPanel(self.document, self.settings.preview_quality)
        self.timeline = TimelinePanel(self.document, self.thumbnails)
        self.inspector = Inspector(self.document)
        self.library = LibraryTabs(self.document, self.actions_, self.thumbnails)
        from . import library_browse

        self.library_browsers = library_browse.install(self.library, self.settings.q)  # search, ★, recent
        self.undo_view = QUndoView(self.document.undo_stack)
        self.undo_view.setEmptyLabel("Opened project")
        from .captions_panel import CaptionsPanel

        self.captions = CaptionsPanel(self.document)
        from .window_state import scrollable, shrinkable_tabs

        side = QTabWidget()
        side.addTab(self.inspector, "Inspector")
        self.captions_page = scrollable(self.captions)
        side.addTab(self.captions_page, "Captions")
        side.addTab(self.undo_view, "History")
        shrinkable_tabs(side)
        shrinkable_tabs(self.library)
        self.side_tabs = side
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.library)
        top.addWidget(self.preview)
        top.addWidget(side)
        top.setSizes([400, 520, 380])
        top.setStretchFactor(1, 1)
        self.top_splitter = top
        edit_page = QSplitter(Qt.Orientation.Vertical)
        edit_page.addWidget(top)
        edit_page.addWidget(self.timeline)
        edit_page.setSizes([560, 280])
        self.edit_page = edit_page
        self.record_panel = RecordPanel(self.settings, self.thumbnails, self._takes_dir)
        self.live_panel = LivePanel(self.document, self.settings, self.thumbnails, self._live_dir)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.record_panel)
        self.pages.addWidget(edit_page)
        self.pages.addWidget(self.live_panel)

        # -- mode bar
        bar = QWidget()
        bar.setObjectName("modeBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 6, 10, 6)
        self.mode_group = QButtonGroup(self)
        self.mode_buttons = {}
        for index, (mode, text) in enumerate(MODES):
            b = QPushButton(text)
            b.setObjectName("modeButton")
            b.setCheckable(True)
            self.mode_group.addButton(b, index)
            self.mode_buttons[mode] = b
            row.addWidget(b)
        self.mode_group.idClicked.connect(lambda i: self.set_mode(MODES[i][0]))
        row.addSpacing(16)
        self.title_label = QLabel()
        self.title_label.setObjectName("panelTitle")
        row.addWidget(self.title_label)
        row.addStretch(1)
        templates = QPushButton("▦ Templates")
        templates.setToolTip("Start from a template: drop in your own clips (Ctrl+Shift+N)")
        templates.clicked.connect(self.open_templates)
        row.addWidget(templates)
        export = QPushButton("Export…")
        export.setObjectName("primary")
        export.clicked.connect(self.open_export)
        row.addWidget(export)
        central = QWidget()
        v = QVBoxLayout(central)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addWidget(bar)
        v.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._connect()
        self.mode = "edit"
        self.set_mode("edit")
        self._update_title()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.autosave_timer.start(max(1, self.settings.autosave_seconds) * 1000)
        QTimer.singleShot(0, self.timeline.fit)
        from . import window_state

        window_state.restore(self, self.settings.q)  # last session's size and splits, never bigger than the screen

    # -- wiring ----------------------------------------------------------------------------------
    def _connect(self) -> None:
        doc = self.document
        for source in (self.preview.status, self.actions_.status, self.record_panel.status, self.timeline.canvas.status,
                       self.captions.status):
            source.connect(self.show_status)
        doc.error.connect(self.show_status)
        doc.dirty_changed.connect(lambda _: self._update_title())
        doc.path_changed.connect(lambda _: self._update_title())
        doc.project_changed.connect(lambda _: self._update_title())  # an unsaved project is named by itself
        self.timeline.canvas.drop_requested.connect(self.actions_.drop)
        self.timeline.canvas.track_toggled.connect(self.actions_.toggle_track)
        self.record_panel.next_requested.connect(self.takes_to_timeline)
        self.record_panel.import_requested.connect(self._import_from_record)
        self.live_panel.status.connect(self.show_status)
        self.live_panel.finished.connect(self.open_live_result)
        self.live_panel.make_shorts_requested.connect(self.open_make_shorts)
        if not self.preview.audio.available:
            QTimer.singleShot(0, lambda: self.show_status(self.preview.audio.reason, 8000))

    def _build_menus(self) -> None:
        doc = self.document
        mb = self.menuBar()
        self.acts: dict[str, QAction] = {}

        def act(menu, key, text, slot, shortcut=None, context=Qt.ShortcutContext.WindowShortcut):
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(context)
            a.triggered.connect(slot)
            menu.addAction(a)
            self.acts[key] = a
            return a

        f = mb.addMenu("&File")
        act(f, "new", "New project", self.new_project, QKeySequence.StandardKey.New)
        act(f, "new_from_template", "New from template…", self.open_templates, "Ctrl+Shift+N")
        act(f, "open", "Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        act(f, "start_screen", "Start screen…", self.open_start_screen)
        self.recent_menu = f.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        act(f, "save", "Save", self.save, QKeySequence.StandardKey.Save)
        act(f, "save_as", "Save as…", self.save_as, QKeySequence.StandardKey.SaveAs)
        f.addSeparator()
        act(f, "import", "Import media…", self.library.media.import_dialog, "Ctrl+I")
        act(f, "relink", "Relink missing media…", self.open_relink)
        f.addSeparator()
        act(f, "export", "Export…", self.open_export, "Ctrl+E")
        act(f, "batch", "Batch export…", self.open_batch, "Ctrl+Shift+E")
        f.addSeparator()
        act(f, "quit", "Quit", self.close, QKeySequence.StandardKey.Quit)

        e = mb.addMenu("&Edit")
        # one Undo/Redo for two histories: the project's in Edit mode, the takes' in Record mode
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(doc.undo_stack)
        self.undo_group.addStack(self.record_panel.undo_stack)
        self.undo_group.setActiveStack(doc.undo_stack)
        undo = self.undo_group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        e.addAction(undo)
        e.addAction(redo)
        self.acts["undo"], self.acts["redo"] = undo, redo
        e.addSeparator()
        act(e, "split", "Split at playhead", doc.split_at_playhead, "S")
        act(e, "delete", "Delete", lambda: doc.delete(doc.selection), QKeySequence.StandardKey.Delete)
        act(e, "ripple", "Ripple delete", lambda: doc.delete(doc.selection, ripple=True), "Shift+Del")
        act(e, "select_all", "Select all", lambda: doc.select([i.id for i in doc.project.timeline.all_items()]),
            QKeySequence.StandardKey.SelectAll)
        from .edit_keys import EditKeys

        keys = self.edit_keys = EditKeys(doc, self.preview, self)
        keys.status.connect(lambda text: self.show_status(text, 4000))
        e.addSeparator()
        act(e, "copy", "Copy", keys.copy, QKeySequence.StandardKey.Copy)
        act(e, "cut", "Cut", keys.cut, QKeySequence.StandardKey.Cut)
        act(e, "paste", "Paste at playhead", keys.paste, QKeySequence.StandardKey.Paste)
        act(e, "duplicate", "Duplicate", keys.duplicate, "Ctrl+D")
        e.addSeparator()
        act(e, "add_text", "Add text", lambda: self.actions_.add_text(), "T")
        act(e, "cut_to_beat", "Cut to beat…", self.open_cut_to_beat, "Ctrl+B")
        act(e, "captions", "Generate captions…", self.open_captions, "Ctrl+Shift+C")
        act(e, "make_shorts", "Make shorts…", lambda: self.open_make_shorts(), "Ctrl+Shift+H").setToolTip(
            "A 9:16 short around each marker (the highlights of a LIVE)")
        e.addSeparator()
        from .layout_actions import LAYOUT_WORDS

        layers = self.actions_.layers
        self.layout_menu = e.addMenu("Layout")
        self.layout_menu.setToolTipsVisible(True)
        for name, (title, _, wants) in LAYOUT_WORDS.items():
            a = act(self.layout_menu, f"layout_{name}", title, lambda _=False, n=name: layers.apply_layout(n))
            a.setToolTip(f"The selected clips as {wants} (first selected = bottom layer), each on its own layer")
        act(e, "add_layer", "Add video layer", layers.add_video_layer)
        e.addSeparator()
        act(e, "settings", "Settings…", self.open_settings, "Ctrl+,")

        fx = mb.addMenu("Effe&cts")
        act(fx, "green_screen", "Green screen", lambda: layers.add_cut_out("chroma_key"))
        act(fx, "remove_background", "Remove background", lambda: layers.add_cut_out("remove_background"))
        act(fx, "pick_key", "Pick key colour from preview", self.pick_key_colour)

        p = mb.addMenu("&Playback")
        act(p, "play", "Play / pause", self.preview.toggle_play, "Space")
        act(p, "prev", "Previous frame", lambda: self.preview.step(-1), "Left")
        act(p, "next", "Next frame", lambda: self.preview.step(1), "Right")
        act(p, "start", "Go to start", lambda: doc.set_playhead(0), "Home")
        act(p, "end", "Go to end", lambda: doc.set_playhead(doc.project.duration - 1), "End")
        act(p, "back_second", "Back one second", lambda: self.edit_keys.step_seconds(-1), "Shift+Left")
        act(p, "forward_second", "Forward one second", lambda: self.edit_keys.step_seconds(1), "Shift+Right")
        p.addSeparator()
        act(p, "shuttle_back", "Play backwards (again: faster)", lambda: self.edit_keys.shuttle(-1), "J")
        act(p, "shuttle_stop", "Stop", lambda: self.edit_keys.shuttle(0), "K")
        act(p, "shuttle_forward", "Play (again: faster)", lambda: self.edit_keys.shuttle(1), "L")
        p.addSeparator()
        act(p, "mark_in", "Mark in", self.edit_keys.mark_in, "I")
        act(p, "mark_out", "Mark out", self.edit_keys.mark_out, "O")
        act(p, "clear_in_out", "Clear in/out", self.edit_keys.clear_in_out, "Alt+X")
        p.addSeparator()
        act(p, "marker", "Add / remove marker", self.edit_keys.toggle_marker, "M")
        act(p, "next_marker", "Next marker", lambda: self.edit_keys.jump_marker(1), "Shift+M")
        act(p, "prev_marker", "Previous marker", lambda: self.edit_keys.jump_marker(-1), "Ctrl+Shift+M")
        loop = act(p, "loop", "Loop", lambda on: self.preview.loop_button.setChecked(on))
        loop.setCheckable(True)
        loop.setChecked(True)

        view = mb.addMenu("&View")
        act(view, "mode_record", "Record mode", lambda: self.set_mode("record"), "Ctrl+1")
        act(view, "mode_edit", "Edit mode", lambda: self.set_mode("edit"), "Ctrl+2")
        act(view, "mode_live", "Live mode", lambda: self.set_mode("live"), "Ctrl+3")
        # H marks a highlight while live; the action exists only for Live mode (set_mode enables it)
        highlight = QAction("Mark a highlight", self)
        highlight.setShortcut(QKeySequence("H"))
        highlight.triggered.connect(self.live_panel.highlight)
        self.addAction(highlight)
        self.acts["live_highlight"] = highlight
        view.addSeparator()
        zones = view.addMenu("Safe zone")
        group = QActionGroup(self)
        from studio.render.presets import PRESETS

        for pid, title in [(None, "None")] + [(k, v.title) for k, v in PRESETS.items()]:
            a = QAction(title, self, checkable=True)
            a.setChecked(pid is None)
            a.triggered.connect(lambda _=False, pid=pid: self.preview.set_safe_zone(pid))
            group.addAction(a)
            zones.addAction(a)
        act(view, "zoom_fit", "Fit timeline", self.timeline.fit, "Shift+Z")
        act(view, "zoom_in", "Zoom timeline in", lambda: self.timeline.zoom_by(1.5), "Ctrl+=")
        act(view, "zoom_out", "Zoom timeline out", lambda: self.timeline.zoom_by(1 / 1.5), "Ctrl+-")
        # right-click menus offer the same actions (and so the same shortcuts) as the menu bar
        on_item = ("copy", "cut", "paste", "duplicate", None, "split", "delete", "ripple")
        elsewhere = ("paste", "select_all", None, "marker", "mark_in", "mark_out", "clear_in_out")
        for canvas in (self.timeline.canvas, self.preview.canvas):
            canvas.menu_actions = lambda hit, c=canvas: [
                self.acts[k] if k else None for k in (on_item if hit else elsewhere)
                if k is None or k in self.acts]

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self.open_path(Path(p)))

    # -- modes -----------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        if mode == "record" and self.live_panel.is_live:
            # one camera, one owner: a stream keeps it until it ends
            self.show_status("End the LIVE first: the stream is using the camera")
            mode = self.mode
        self.mode = mode
        self.mode_buttons[mode].setChecked(True)
        if mode != "live":
            self.live_panel.leave()
        if mode == "record":
            self.preview.pause()
            self.pages.setCurrentWidget(self.record_panel)
            if self.record_panel.session is None:
                self.record_panel.start_camera()
        else:
            self.record_panel.stop_camera() if self.record_panel.take is None else None
            if mode == "live":
                self.preview.pause()
                self.pages.setCurrentWidget(self.live_panel)
                self.live_panel.enter()
            else:
                self.pages.setCurrentWidget(self.edit_page)
        self.undo_group.setActiveStack(self.record_panel.undo_stack if mode == "record" else self.document.undo_stack)
        for key in ("split", "delete", "ripple", "play", "prev", "next", "start", "end", "add_text", "select_all",
                    "cut_to_beat", "captions", "layout_duet", "layout_react", "layout_pip", "layout_split3", "add_layer",
                    "green_screen", "remove_background", "pick_key", "copy", "cut", "paste", "duplicate",
                    "back_second", "forward_second", "shuttle_back", "shuttle_stop", "shuttle_forward", "mark_in",
                    "mark_out", "clear_in_out", "marker", "next_marker", "prev_marker"):
            self.acts[key].setEnabled(mode == "edit")
        self.acts["live_highlight"].setEnabled(mode == "live")

    def _live_dir(self) -> Path:
        """Where a stream's recording (LIVE.mp4 + LIVE.studio) goes: beside the project, or under
        the projects folder for an unsaved one."""
        if self.document.path is not None:
            return self.document.path.parent / "Live"
        return self.settings.projects_dir / "Live"

    def open_live_result(self, path) -> bool:
        """A stream ended: its recording opens in Edit mode, the highlights as markers on the ruler
        (the open project is saved or discarded first, as any open asks)."""
        if path is not None and self.open_path(Path(path), check_missing=False):
            self.set_mode("edit")
            self.timeline.fit()
            count = len(self.document.project.markers)
            self.show_status(f"{Path(path).name}: {count} highlight marker(s) — Edit ▸ Make shorts… "
                             "cuts a short around each", 10000)
            return True
        if self.mode == "live":
            self.live_panel.start_preview()  # staying in Live mode: the camera shows again
        return False

    def _takes_dir(self) -> Path:
        if self.document.path is not None:
            return self.document.path.parent / "takes"
        return self.settings.projects_dir / "Takes"  # visible, under Videos: a take is never hidden away

    def takes_to_timeline(self, paths: list) -> None:
        """'Next' in Record mode: the takes go on the main track, after what is there, as one undo step."""
        from .item_factory import place_take

        if paths and self.record_panel.destination.currentData() == "new" and self.document.project.timeline.all_items():
            # recording starts a new project (the open one is kept: saved, or discarded when asked)
            if not self.maybe_save():
                return
            import datetime as dt

            self.load(Project(name=f"Recording {dt.datetime.now():%Y-%m-%d %H.%M}"), None)
            self.autosave.clear()
        if paths:
            def run(tl):
                for path in paths:
                    tl = place_take(tl, self.document.project, path)
                return tl

            before = {i.id for i in self.document.project.timeline.all_items()}
            if self.document.edit(f"Add {len(paths)} take(s)", run):
                self.document.select([i.id for i in self.document.project.timeline.all_items() if i.id not in before])
                for p in paths:
                    self.library.media.add_path(Path(p))
        self.set_mode("edit")
        self.timeline.fit()

    def _import_from_record(self) -> None:
        self.set_mode("edit")
        self.library.setCurrentWidget(self.library.media)
        self.library.media.import_dialog()

    def pick_key_colour(self) -> bool:
        """Effects ▸ Pick key colour from preview: the next click on the preview sets the green
        screen's key colour to the clip's source colour there."""
        from .layout_actions import item_name

        clip = self.actions_.layers.key_clip()
        if clip is None:
            self.show_status("Select a clip with a green screen (Effects ▸ Green screen) to pick its key colour")
            return False
        if not clip.start <= self.document.playhead < clip.end:
            self.document.set_playhead(clip.start)
        self.preview.canvas.start_pick(lambda fx, fy: self.actions_.layers.pick_key_colour(clip.id, fx, fy),
                                       "Click the colour to key out (Esc cancels)")
        self.show_status(f"Click the preview on the background colour of {item_name(clip)}", 10000)
        return True

    # -- status ----------------------------------------------------------------------------------
    def show_status(self, text: str, ms: int = 6000) -> None:
        self.statusBar().showMessage(text, ms)

    def _update_title(self) -> None:
        doc = self.document
        name = doc.path.name if doc.path else f"{doc.project.name} (not saved)"
        # a visible saved state next to the name, as document editors show it
        self.title_label.setText(f"● {name}" if doc.dirty else f"{name}  ✓ Saved" if doc.path else name)
        self.title_label.setToolTip("Unsaved changes (Ctrl+S saves)" if doc.dirty else
                                    f"Saved in {doc.path.parent}" if doc.path else "")
        self.setWindowTitle(f"{'*' if doc.dirty else ''}{name} — Studio")

    # -- project files -----------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, or unchanged)."""
        if not self.document.dirty:
            return True
        answer = self.prompts.unsaved(self.document.path.name if self.document.path else self.document.project.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_project(self) -> None:
        if self.maybe_save():
            self.document.reset(Project(), None)
            self.autosave.clear()

    def open_dialog(self) -> None:
        path = self.prompts.open_path()
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path, check_missing: bool = True) -> bool:
        if not self.maybe_save():
            return False
        try:
            project = load_project(path)
        except ProjectError as exc:
            self.prompts.error("Cannot open project", str(exc))
            return False
        self.load(project, Path(path).resolve())
        self.settings.add_recent(path)
        if check_missing:
            QTimer.singleShot(0, self.check_missing_media)
        return True

    def load(self, project: Project, path: Path | None) -> None:
        self.preview.pause()
        self.document.reset(project, path)
        self.library.media.sync_from_project()
        self.timeline.fit()

    def check_missing_media(self) -> None:
        missing = missing_media(self.document.project)
        if missing and self.prompts.relink(len(missing)):
            self.open_relink()

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            folder = self.settings.projects_dir
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                folder = self.settings.output_dir  # a projects folder that cannot be made: the dialog still opens
            suggested = str(folder / f"{self.document.project.name.replace(' ', '_')}.studio")
            chosen = self.prompts.save_path(suggested)
            if not chosen:
                return False
            path = Path(chosen)
        if self._write(Path(path)):
            self.document.set_path(Path(path).resolve())
            self.settings.add_recent(path)
            return True
        return False

    def _write(self, path: Path) -> bool:
        try:
            project_files.save_with_backup(self.document.project, path)
        except OSError as exc:
            self.prompts.error("Cannot save", f"{path}: {exc.strerror or exc}")
            return False
        self.document.mark_clean()
        self.autosave.clear()
        self.show_status(f"Saved {path.name}")
        return True

    def autosave_now(self) -> Path | None:
        if not self.document.dirty:
            return None
        try:
            return self.autosave.save(self.document.project, self.document.path)
        except OSError as exc:
            self.show_status(f"autosave failed: {exc.strerror or exc}")
            return None

    def offer_recovery(self) -> bool:
        """At start-up: offer each autosave a crashed session left behind; True when one was recovered."""
        for recovery in self.autosave.leftovers():
            answer = self.prompts.recover(recovery)
            if answer == "recover":
                try:
                    project = self.autosave.adopt(recovery)  # now this session's autosave
                except ProjectError as exc:
                    self.prompts.error("Cannot recover", str(exc))
                    recovery.discard()
                    continue
                # the recovered state is unsaved work on top of the saved file: one undoable, dirty step
                base = Project()
                if recovery.original is not None and recovery.original.exists():
                    try:
                        base = load_project(recovery.original)
                    except ProjectError:
                        pass
                self.load(base, recovery.original)
                self.document.replace("Recovered autosave", project)
                self.library.media.sync_from_project()
                return True
            if answer == "discard":
                recovery.discard()
        return False

    # -- dialogs ---------------------------------------------------------------------------------
    def _track(self, dialog):
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _: self._forget(dialog))
        return dialog

    def _forget(self, dialog) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)
            dialog.deleteLater()

    def open_export(self) -> ExportDialog:
        self.preview.pause()
        dialog = self._track(ExportDialog(self.document, self.settings, self))
        dialog.show()
        return dialog

    def open_templates(self):
        from .template_gallery import TemplateGallery

        self.preview.pause()
        dialog = self._track(TemplateGallery(self, self.settings.q))
        dialog.applied.connect(self.open_filled_template)
        dialog.show()
        return dialog

    def open_filled_template(self, project) -> bool:
        """A template filled with the creator's media: a new, unsaved project in Edit mode."""
        if not self.maybe_save():
            return False
        self.document.reset(project, None)
        self.autosave.clear()
        self.set_mode("edit")
        self.timeline.fit()
        self.show_status(f"“{project.name}” is ready: drop a clip on a slot to swap it, edit the texts, export")
        return True

    def open_cut_to_beat(self):
        from .cut_to_beat import CutToBeatDialog

        dialog = self._track(CutToBeatDialog(self.document, self))
        dialog.show()
        return dialog

    def open_start_screen(self):
        from .start_screen import show_start

        return show_start(self)

    def open_captions(self):
        """Edit ▸ Generate captions…: the Captions tab, its Generate button ready."""
        self.set_mode("edit")
        self.side_tabs.setCurrentWidget(self.captions_page)
        self.captions.generate_button.setFocus()
        return self.captions

    def open_make_shorts(self, path=None):
        """Edit ▸ Make shorts…: the open project's markers (or the project at `path`, a stream's
        recording) as 9:16 shorts."""
        from .make_shorts_dialog import MakeShortsDialog

        project, where = self.document.project, self.document.path
        if path is not None and (where is None or Path(path).resolve() != where):
            try:
                project, where = load_project(path), Path(path).resolve()
            except ProjectError as exc:
                self.prompts.error("Cannot open project", str(exc))
                return None
        self.preview.pause()
        dialog = self._track(MakeShortsDialog(project, where, self.settings, self))
        dialog.show()
        return dialog

    def open_batch(self) -> BatchDialog:
        dialog = self._track(BatchDialog(self.document, self.settings, self))
        dialog.show()
        return dialog

    def open_relink(self) -> RelinkDialog:
        dialog = self._track(RelinkDialog(self.document, self))
        dialog.show()
        return dialog

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.preview.set_quality(self.settings.preview_quality)
        dialog.deleteLater()

    # -- drops and closing -----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix == ".studio":
                    self.open_path(path)
                else:
                    self.actions_.add_media(path)

    def closeEvent(self, event) -> None:
        if not self._closing_ok and not self.maybe_save():
            event.ignore()
            return
        from . import window_state

        window_state.remember(self, self.settings.q)
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop every worker thread and the camera; the recovery file goes (this is a clean exit)."""
        self.autosave_timer.stop()
        for dialog in list(self._dialogs):
            if hasattr(dialog, "shutdown"):
                dialog.shutdown()
            dialog.close()
            dialog.deleteLater()
        self._dialogs = []
        self.live_panel.shutdown()
        self.record_panel.shutdown()
        self.captions.shutdown()
        self.preview.shutdown()
        self.library.shutdown()
        self.thumbnails.stop()
        self.autosave.clear()
