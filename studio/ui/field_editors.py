"""The inspector's editors for declared item fields (studio.model.fields.Field), by name: a field
names a special one ("speed", "style", "sticker", "gesture") or gets the one for its type. Each
makes its widget and shows a value in it without reporting that as a change; the inspector turns
a change into one document.set_property call. ("effects" is the inspector's own section.)"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDoubleSpinBox, QPlainTextEdit, QPushButton,
                               QSpinBox, QWidget)

from studio.model import Field
from studio.tracking.gestures import GESTURES

SPEEDS = ("0.25", "0.5", "1", "1.5", "2", "3")
GESTURE_NAMES = {"open_palm": "an open palm", "peace": "a peace sign", "thumbs_up": "a thumbs-up",
                 "pointing": "a pointing finger"}
# the editor a field gets from its type when it names none
EDITOR_FOR_TYPE = {"text": "text", "float": "float", "int": "int", "frames": "int", "bool": "bool",
                   "choice": "choice", "color": "color"}
SECTIONS = ("effects",)  # editors that are a section of the inspector of their own, not a form row

Emit = Callable[[Any], None]


def editor_name(field: Field) -> str:
    name = field.editor or EDITOR_FOR_TYPE.get(field.type, "")
    if name not in EDITORS and name not in SECTIONS:
        raise KeyError(f"field '{field.name}': no inspector editor {name or 'for type ' + field.type!r}")
    return name


def _quiet(widget: QWidget, emit: Emit) -> Emit:
    """`emit`, except while the inspector is showing a value (widget._setting)."""
    return lambda value: None if getattr(widget, "_setting", False) else emit(value)


class FieldEditor:
    def make(self, field: Field, emit: Emit) -> QWidget:
        raise NotImplementedError

    def show(self, widget: QWidget, value: Any) -> None:
        raise NotImplementedError


class TextEditor(FieldEditor):
    def make(self, field, emit):
        w = QPlainTextEdit()
        w.setFixedHeight(64)
        changed = _quiet(w, emit)
        w.textChanged.connect(lambda: changed(w.toPlainText()))
        return w

    def show(self, w, value):
        if w.toPlainText() != value:
            cursor = w.textCursor().position()
            w.setPlainText(value)
            c = w.textCursor()
            c.setPosition(min(cursor, len(value)))
            w.setTextCursor(c)


class FloatEditor(FieldEditor):
    def make(self, field, emit):
        w = QDoubleSpinBox()
        w.setRange(*field.editor_range)
        w.setSingleStep(field.step or 0.1)
        w.setDecimals(2)
        changed = _quiet(w, emit)
        w.valueChanged.connect(lambda v: changed(float(v)))
        return w

    def show(self, w, value):
        w.setValue(value)


class IntEditor(FieldEditor):
    def make(self, field, emit):
        w = QSpinBox()
        w.setRange(*(int(v) for v in field.editor_range))
        changed = _quiet(w, emit)
        w.valueChanged.connect(lambda v: changed(int(v)))
        return w

    def show(self, w, value):
        w.setValue(value)


class BoolEditor(FieldEditor):
    def make(self, field, emit):
        w = QCheckBox()
        changed = _quiet(w, emit)
        w.toggled.connect(lambda v: changed(bool(v)))
        return w

    def show(self, w, value):
        w.setChecked(bool(value))


class SpeedEditor(FieldEditor):
    """Common speeds to pick, or one typed ("1.25"); kept exact as a Fraction."""

    def make(self, field, emit):
        w = QComboBox()
        w.setEditable(True)
        for s in SPEEDS:
            w.addItem(f"{s}×", s)
        w.activated.connect(lambda _: emit(Fraction(w.currentData() or w.currentText().rstrip("×"))))
        return w

    def show(self, w, value):
        w.setEditText(f"{float(value):g}×")


class ComboEditor(FieldEditor):
    """One of a list of (value, title); a value not in the list (a file's sticker) is added to it."""

    def pairs(self, field: Field) -> list[tuple[Any, str]]:
        return [(c, c.replace("_", " ")) for c in field.choices]

    def make(self, field, emit):
        w = QComboBox()
        for key, title in self.pairs(field):
            w.addItem(title, key)
        changed = _quiet(w, emit)
        w.currentIndexChanged.connect(lambda _: changed(w.currentData()))
        return w

    def show(self, w, value):
        index = w.findData(value)
        if index < 0:
            w.addItem(str(value), value)
            index = w.count() - 1
        w.setCurrentIndex(index)


class StyleEditor(ComboEditor):
    def pairs(self, field):
        from studio.library.styles import list_styles
        return [(s.id, s.title) for s in list_styles()]


class StickerEditor(ComboEditor):
    def pairs(self, field):
        from studio.library.stickers import list_stickers
        return [(s.id, s.title) for s in list_stickers()]


class GestureEditor(ComboEditor):
    """Always (None), or only while a hand shows a gesture (an effect's trigger)."""

    def pairs(self, field):
        return [(None, "Always")] + [(g, f"While the hand shows {GESTURE_NAMES.get(g, g)}") for g in GESTURES]

    def make(self, field, emit):
        return super().make(field, lambda value: emit(value or None))

    def show(self, w, value):
        w.setCurrentIndex(max(0, w.findData(value)) if value else 0)


class ColourEditor(FieldEditor):
    """A swatch button that opens a colour dialog; values are '#rrggbb'."""

    def make(self, field, emit):
        w = QPushButton()

        def pick():
            colour = QColorDialog.getColor(QColor(w.text()), w, field.title or field.name)
            if colour.isValid():
                emit(colour.name())
        w.clicked.connect(pick)
        return w

    def show(self, w, value):
        w.setText(value)
        w.setStyleSheet(f"background:{value}; color:{'#000' if QColor(value).lightness() > 128 else '#fff'}")


EDITORS: dict[str, FieldEditor] = {
    "text": TextEditor(), "float": FloatEditor(), "int": IntEditor(), "bool": BoolEditor(), "speed": SpeedEditor(),
    "choice": ComboEditor(), "style": StyleEditor(), "sticker": StickerEditor(), "gesture": GestureEditor(),
    "color": ColourEditor(),
}
