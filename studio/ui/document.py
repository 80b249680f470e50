"""The open project as a Qt model: the current Project, its file, the undo stack and the selection.
Views subscribe to its signals; edits go through `apply`/`edit`, which push undo commands."""
from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.model import EditError, Project, Timeline, edits, magnetic

from .commands import ProjectCommand
from .names import change_title, item_name


class ProjectDocument(QObject):
    project_changed = Signal(object)     # the new Project
    selection_changed = Signal(tuple)    # item ids
    playhead_changed = Signal(int)
    path_changed = Signal(object)        # Path | None
    dirty_changed = Signal(bool)
    error = Signal(str)                  # an edit refused (EditError text), for the status bar
    in_out_changed = Signal(object)      # (in frame, out frame) or None

    def __init__(self, project: Project, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._project = project
        self._path = Path(path) if path else None
        self._selection: tuple[str, ...] = ()
        self._playhead = 0
        self.revision = 0  # bumps on every change (render caches key on what they read: render.dependencies)
        # the main video track is magnetic (CapCut's default): its clips butt together, a deleted
        # one's gap closes, a dragged one reorders (studio.model.magnetic); the timeline can turn it off
        self.magnetic = True
        self.in_out: tuple[int, int] | None = None  # I/O marks: the part an export takes (a view state, not saved)
        self._drag_tokens = itertools.count(1)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    # -- state ---------------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        return self._project

    @property
    def path(self) -> Path | None:
        return self._path

    def set_path(self, path: Path | None) -> None:
        self._path = Path(path) if path else None
        self.path_changed.emit(self._path)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_clean(self) -> None:
        self.undo_stack.setClean()

    @property
    def selection(self) -> tuple[str, ...]:
        return self._selection

    def select(self, ids) -> None:
        ids = tuple(dict.fromkeys(i for i in ids if self._exists(i)))
        if ids != self._selection:
            self._selection = ids
            self.selection_changed.emit(ids)

    def selected_items(self) -> list:
        return [self._project.timeline.get(i) for i in self._selection if self._exists(i)]

    @property
    def playhead(self) -> int:
        return self._playhead

    def set_playhead(self, frame: int) -> None:
        frame = max(0, min(int(frame), max(0, self._project.duration - 1)))
        if frame != self._playhead:
            self._playhead = frame
            self.playhead_changed.emit(frame)

    def set_in_out(self, span: tuple[int, int] | None) -> None:
        if span is not None:
            start = max(0, min(int(span[0]), self._project.duration))
            span = (start, max(start + 1, min(int(span[1]), max(start + 1, self._project.duration))))
        if span != self.in_out:
            self.in_out = span
            self.in_out_changed.emit(span)

    def _exists(self, item_id: str) -> bool:
        try:
            self._project.timeline.find(item_id)
            return True
        except KeyError:
            return False

    def _swap(self, project: Project) -> None:
        """Called by undo commands only."""
        self._project = project
        self.revision += 1
        self.project_changed.emit(project)
        kept = tuple(i for i in self._selection if self._exists(i))
        if kept != self._selection:
            self._selection = kept
            self.selection_changed.emit(kept)
        if self._playhead >= max(1, project.duration):
            self.set_playhead(project.duration - 1)

    def reset(self, project: Project, path: Path | None) -> None:
        """Show another project: a fresh undo history, no selection, playhead at the start."""
        self.undo_stack.clear()
        self._selection = ()
        self._playhead = 0
        self.set_path(path)
        self._swap(project)
        self.selection_changed.emit(())
        self.playhead_changed.emit(0)
        self.undo_stack.setClean()

    # -- edits ---------------------------------------------------------------------------------
    def new_drag_key(self, what: str) -> tuple:
        """A merge key for one press-drag-release gesture."""
        return ("drag", what, next(self._drag_tokens))

    def replace(self, text: str, project: Project, merge_key=None, timed: bool = False) -> bool:
        if project == self._project:
            return False
        self.undo_stack.push(ProjectCommand(self, text, self._project, project, merge_key, timed))
        return True

    def edit(self, text: str, fn: Callable[[Timeline], Timeline], merge_key=None, timed: bool = False,
             base: Project | None = None) -> bool:
        """Run a pure timeline edit (on `base`'s timeline when given: drags restart from the press)
        and push it; an EditError is reported on `error` and changes nothing."""
        base = base or self._project
        try:
            timeline = fn(base.timeline)
        except EditError as exc:
            self.error.emit(str(exc))
            return False
        return self.replace(text, dataclasses.replace(base, timeline=timeline), merge_key, timed)

    def set_property(self, item_id: str, name: str, value, text: str | None = None) -> bool:
        if text is None:
            try:
                text = change_title(self._project.timeline.get(item_id), name)
            except KeyError:  # no such item: edits.set_property reports it below
                text = change_title(None, name)
        return self.edit(text, lambda tl: edits.set_property(tl, item_id, name, value),
                         merge_key=("prop", item_id, name), timed=True)

    def set_metadata(self, text: str = "Change caption", **changes) -> bool:
        meta = dataclasses.replace(self._project.metadata, **changes)
        return self.replace(text, dataclasses.replace(self._project, metadata=meta),
                            merge_key=("meta", tuple(sorted(changes))), timed=True)

    def add(self, item, text: str | None = None, select: bool = True) -> bool:
        """Add an item where it fits (items of video tracks are appended after the last clip)."""
        from studio.model import kind_of

        kind = kind_of(item)
        if kind.track == "video":
            ok = self.edit(text or f"Add {kind.name}", lambda tl: edits.append_clip(tl, item))
        else:
            ok = self.edit(text or f"Add {kind.name}", lambda tl: edits.add_item(tl, item))
        if ok and select:
            self.select([item.id])
        return ok

    def delete(self, ids, ripple: bool = False) -> bool:
        ids = [i for i in ids if self._exists(i)]
        if not ids:
            return False

        def run(tl: Timeline) -> Timeline:
            # ripple from the latest item backwards so earlier shifts do not move the later ones twice
            order = sorted(ids, key=lambda i: tl.get(i).start, reverse=True)
            for item_id in order:
                if self.magnetic and magnetic.on_main_track(tl, item_id):
                    tl = magnetic.remove(tl, item_id)  # the main track closes up either way
                else:
                    tl = (edits.ripple_delete if ripple else edits.delete)(tl, item_id)
            return tl

        names = item_name(self._project.timeline.get(ids[0])) if len(ids) == 1 else f"{len(ids)} items"
        return self.edit(f"{'Ripple delete' if ripple else 'Delete'} {names}", run)

    def split_at_playhead(self) -> bool:
        """Split the selected items under the playhead (or every item there when nothing is selected)."""
        frame = self._playhead
        tl = self._project.timeline
        ids = [i for i in self._selection if self._exists(i)] or [i.id for i in tl.all_items()]
        targets = [i for i in ids if tl.get(i).start < frame < tl.get(i).end]
        if not targets:
            self.error.emit(f"nothing to split at frame {frame}")
            return False

        def run(t: Timeline) -> Timeline:
            for item_id in targets:
                t = edits.split(t, item_id, frame)
            return t

        return self.edit("Split", run)
