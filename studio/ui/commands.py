"""Undo commands. For the project there is one kind: swap the project for the result of a pure
edit. Widgets never change the project themselves; they compute the new one with
studio.model.edits and push this. Record mode has its own history: deleting a take."""
from __future__ import annotations

import time

from PySide6.QtGui import QUndoCommand

MERGE_ID = 4242
PROPERTY_MERGE_SECONDS = 1.5  # typing or spinning one field quickly is one undo step


class ProjectCommand(QUndoCommand):
    """Replace the document's project with `after`; undo puts `before` back.

    merge_key: commands with the same key merge into one undo step — a drag uses a key unique to
    the press (so the whole drag is one step), a property edit uses (item, field) and merges only
    while the changes come quickly one after another.
    """

    def __init__(self, document, text: str, before, after, merge_key=None, timed: bool = False):
        super().__init__(text)
        self.document = document
        self.before, self.after = before, after
        self.merge_key = merge_key
        self.timed = timed
        self.stamp = time.monotonic()

    def id(self) -> int:
        return MERGE_ID if self.merge_key is not None else -1

    def redo(self) -> None:
        self.document._swap(self.after)

    def undo(self) -> None:
        self.document._swap(self.before)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ProjectCommand) or other.merge_key != self.merge_key:
            return False
        if self.timed and other.stamp - self.stamp > PROPERTY_MERGE_SECONDS:
            return False
        self.after = other.after
        self.stamp = other.stamp
        if self.after == self.before:
            self.setObsolete(True)  # a drag that ends where it started leaves no undo step
        return True


class DeleteTakeCommand(QUndoCommand):
    """Record mode's "Delete last": the take leaves the strip and its files wait in the session's
    bin; undo puts them back. The files move when the command is made, so a failure (OSError)
    leaves no undo step behind."""

    def __init__(self, panel, index: int, text: str):
        super().__init__(text)
        self.panel, self.index = panel, index
        self.take = panel.remove_take(index)
        self._first = True  # QUndoStack.push calls redo(): the deletion has already happened

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        try:
            self.take = self.panel.remove_take(self.index)
        except OSError as exc:
            self.panel.status.emit(f"take could not be deleted again: {exc.strerror or exc}")

    def undo(self) -> None:
        try:
            self.panel.put_back_take(self.index, self.take)
        except OSError as exc:
            self.panel.status.emit(f"take could not be brought back: {exc.strerror or exc}")
            return
        self.panel.status.emit(f"Take {self.index + 1} is back")
