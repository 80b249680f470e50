"""Keyboard editing as in desktop editors: copy, cut, paste and duplicate of timeline items
(Ctrl+C/X/V/D), J/K/L shuttle, Shift+←/→ by a second, I/O marking an in/out range. The window
adds these actions to its menus; the edits are Qt-free (studio.model.clipboard) and each is one
undo step named after what it touched."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from studio.model import clipboard

from .names import item_name

SHUTTLE_RATES = (1, 2, 4, 8)  # each further press of J or L doubles the speed, as in Premiere/Resolve


class EditKeys(QObject):
    status = Signal(str)

    def __init__(self, document, preview, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.preview = preview
        self.copied = clipboard.Copied(())  # this window's clipboard (items are project data, not text)

    # -- clipboard -----------------------------------------------------------------------------
    def _what(self, ids) -> str:
        tl = self.document.project.timeline
        return item_name(tl.get(ids[0])) if len(ids) == 1 else f"{len(ids)} items"

    def copy(self) -> bool:
        ids = [i for i in self.document.selection if self._exists(i)]
        if not ids:
            self.status.emit("Select items on the timeline to copy them")
            return False
        self.copied = clipboard.copy(self.document.project.timeline, ids)
        self.status.emit(f"Copied {self._what(ids)}")
        return True

    def cut(self) -> bool:
        ids = [i for i in self.document.selection if self._exists(i)]
        if not ids or not self.copy():
            return False
        return self.document.delete(ids)

    def paste(self) -> bool:
        if not self.copied:
            self.status.emit("Nothing to paste: copy items first (Ctrl+C)")
            return False
        doc = self.document
        result = {}

        def run(tl):
            tl, result["ids"] = clipboard.paste(tl, self.copied, doc.playhead, doc.magnetic)
            return tl

        count = len(self.copied.entries)
        title = f"Paste {count} item{'s' if count != 1 else ''}"
        if doc.edit(title, run):
            doc.select(result["ids"])
            return True
        return False

    def duplicate(self) -> bool:
        doc = self.document
        ids = [i for i in doc.selection if self._exists(i)]
        if not ids:
            self.status.emit("Select items on the timeline to duplicate them")
            return False
        result = {}
        what = self._what(ids)

        def run(tl):
            tl, result["ids"] = clipboard.duplicate(tl, ids, doc.magnetic)
            return tl

        if doc.edit(f"Duplicate {what}", run):
            doc.select(result["ids"])
            return True
        return False

    def _exists(self, item_id: str) -> bool:
        try:
            self.document.project.timeline.find(item_id)
            return True
        except KeyError:
            return False

    # -- transport -----------------------------------------------------------------------------
    def shuttle(self, direction: int) -> None:
        """L (1) plays forward, J (-1) backward; pressed again in the same direction it doubles
        the speed up to 8x; K (0) stops."""
        preview = self.preview
        if direction == 0:
            preview.pause()
            return
        rate = preview.rate if preview.playing else 0
        if rate and (rate > 0) == (direction > 0):
            steps = [r for r in SHUTTLE_RATES if r > abs(rate)]
            rate = direction * (steps[0] if steps else SHUTTLE_RATES[-1])
        else:
            rate = direction
        preview.play(rate)
        self.status.emit(f"{'▶' if rate > 0 else '◀'} {abs(rate)}×")

    def step_seconds(self, seconds: int) -> None:
        doc = self.document
        self.preview.pause()
        frames = round(seconds * float(doc.project.fps))
        doc.set_playhead(max(0, min(doc.project.duration - 1, doc.playhead + frames)))

    # -- markers -------------------------------------------------------------------------------
    def toggle_marker(self) -> bool:
        """M: a marker at the playhead ("Marker 3"), or, where there is one, it goes (one undo step)."""
        import dataclasses

        from studio.model import Marker

        from .timeline_geometry import timecode_label

        doc = self.document
        project = doc.project
        frame = doc.playhead
        here = [m for m in project.markers if m.frame == frame]
        at = timecode_label(frame, project.fps)
        if here:
            markers = tuple(m for m in project.markers if m.frame != frame)
            text = f"Remove marker “{here[0].name}” at {at}"
        else:
            used = {m.name for m in project.markers}
            name = next(f"Marker {n}" for n in range(1, len(used) + 2) if f"Marker {n}" not in used)
            markers = tuple(sorted((*project.markers, Marker(frame, name)), key=lambda m: m.frame))
            text = f"Add marker “{name}” at {at}"
        if doc.replace(text, dataclasses.replace(project, markers=markers)):
            self.status.emit(text)
            return True
        return False

    def jump_marker(self, direction: int) -> None:
        """To the next (1) or previous (-1) marker from the playhead."""
        doc = self.document
        frames = [m.frame for m in doc.project.markers]
        targets = [f for f in frames if (f > doc.playhead if direction > 0 else f < doc.playhead)]
        if targets:
            self.preview.pause()
            doc.set_playhead(min(targets) if direction > 0 else max(targets))

    # -- in/out --------------------------------------------------------------------------------
    def mark_in(self) -> None:
        self._mark(self.document.playhead, None)

    def mark_out(self) -> None:
        self._mark(None, self.document.playhead + 1)

    def clear_in_out(self) -> None:
        self.document.set_in_out(None)
        self.status.emit("In/out cleared: export takes the whole video")

    def _mark(self, start: int | None, end: int | None) -> None:
        from .timeline_geometry import timecode_label

        doc = self.document
        old = doc.in_out or (0, doc.project.duration)
        start = old[0] if start is None else start
        end = old[1] if end is None else end
        if end <= start:  # a new in after the out (or out before the in) starts a fresh range
            start, end = (start, doc.project.duration) if end == old[1] else (0, end)
        doc.set_in_out((start, end))
        fps = doc.project.fps
        self.status.emit(f"In {timecode_label(start, fps)} · out {timecode_label(end, fps)}: export takes this part")
