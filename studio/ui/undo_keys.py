"""Undo and Redo keys reach the project from every focus that is not a text being typed."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _number_field(obj) -> bool:
    """A spin box or an editable combo box (Speed), or the line edit inside one of them."""
    if isinstance(obj, QLineEdit):
        obj = obj.parent()
    return isinstance(obj, (QAbstractSpinBox, QComboBox))


class UndoKeysToProject(QObject):
    """Application event filter. A spin box or an editable combo box wants Ctrl+Z for its own
    one-field undo: after a Speed change the creator's Ctrl+Z vanished there and the edit stayed.
    Refusing the override lets the window's Undo/Redo shortcut fire instead; text fields (captions,
    text content) keep their own undo while they are being typed in."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _number_field(obj) and (
                any(event.matches(k) for k in _KEYS) or event.keyCombination().toCombined()
                == QKeySequence("Ctrl+Y")[0].toCombined()):
            return True  # not accepted by the field: the shortcut goes to the window
        return False
