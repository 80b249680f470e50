"""The inspector's editors for declared item fields (studio.model.fields.Field), by name: a field
names a special one ("speed", "style", "sticker", "gesture") or gets the one for its type. Each
makes its widget and shows a value in it without reporting that as a change; the inspector turns
a change into one document.set_property call. ("effects" is the inspector's own section.)

Fields are shown in groups ("Transform", "Crop", ...): a field's declared `group` when the
declaration has one, else the group its name has in FIELD_GROUPS where the field animates or
changes only the picture (so a kind's plain fields, like a toy kind's x, stay in "Properties")."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDoubleSpinBox, QPlainTextEdit, QPushButton,
                               QSpinBox, QWidget)

from studio.model import Field
from studio.model.emphasis import toggle_emphasis
from studio.tracking.gestures import GESTURES

# the speeds offered (0.1x to 200x: slow motion to a time-lapse); any other can be typed
SPEEDS = ("0.1", "0.25", "0.5", "1", "1.5", "2", "4", "10", "30", "60", "120", "200")
GESTURE_NAMES = {"open_palm": "an open palm", "peace": "a peace sign", "thumbs_up": "a thumbs-up",
                 "pointing": "a pointing finger"}
# the editor a field gets from its type when it names none
# (times read as seconds: a creator thinks "1.5 s", not "45 frames")
EDITOR_FOR_TYPE = {"text": "text", "float": "float", "int": "int", "frames": "seconds", "bool": "bool",
                   "choice": "choice", "color": "color"}
# float fields a creator reads in other units than they are stored in, by name (the same name means
# the same thing in every kind): fractions as %, a clip's gain in dB
EDITOR_FOR_NAME = {
    **dict.fromkeys(("opacity", "scale", "size", "width", "box_w", "box_h",
                     "crop_left", "crop_top", "crop_right", "crop_bottom"), "percent"),
    "volume": "gain_db",
}
SECTIONS = ("effects",)  # editors that are a section of the inspector of their own, not a form row
PROPERTIES = "Properties"  # the group of the fields that name none
# group by field name, for declarations that name no group (the same name means the same thing in
# every kind: a text's or a sticker's x is placed as a clip's is)
FIELD_GROUPS = {
    **dict.fromkeys(("x", "y", "box_w", "box_h", "scale", "size", "rotation", "pan"), "Transform"),
    **dict.fromkeys(("crop_left", "crop_top", "crop_right", "crop_bottom"), "Crop"),
    **dict.fromkeys(("opacity", "blend"), "Blend"),
    **dict.fromkeys(("transition", "transition_frames"), "Transition"),
}

Emit = Callable[[Any], None]


def editor_name(field: Field) -> str:
    name = field.editor or (field.type == "float" and EDITOR_FOR_NAME.get(field.name)) \
        or EDITOR_FOR_TYPE.get(field.type, "")
    if name not in EDITORS and name not in SECTIONS:
        raise KeyError(f"field '{field.name}': no inspector editor {name or 'for type ' + field.type!r}")
    return name


def group_of(field: Field) -> str:
    """The inspector group a field is shown in."""
    declared = getattr(field, "group", "")
    if declared:
        return declared
    if field.animatable or field.affects == "picture":
        return FIELD_GROUPS.get(field.name, PROPERTIES)
    return PROPERTIES


def narrow(combo: QComboBox, chars: int = 8) -> QComboBox:
    """A combo box that may be narrower than its longest choice (the inspector is a side panel)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


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
        # Keyword emphasis without typing asterisks: Ctrl+Shift+K or the right-click menu
        emphasise = QAction("Emphasise", w)
        emphasise.setShortcut(QKeySequence("Ctrl+Shift+K"))  # (Ctrl+E is Export, Ctrl+K deletes to the line end)
        emphasise.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        emphasise.setToolTip("Wrap the selected words in *asterisks*: styles with a keyword colour draw them in it")
        emphasise.triggered.connect(lambda: emphasise_selection(w))
        w.addAction(emphasise)
        w.emphasise_action = emphasise
        w.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        w.customContextMenuRequested.connect(lambda pos: _text_menu(w, pos))
        w.setToolTip("Ctrl+Shift+K emphasises the selected words (drawn in the style's keyword colour)")
        return w

    def show(self, w, value):
        if w.toPlainText() != value:
            cursor = w.textCursor().position()
            w.setPlainText(value)
            c = w.textCursor()
            c.setPosition(min(cursor, len(value)))
            w.setTextCursor(c)


def emphasise_selection(w: QPlainTextEdit) -> None:
    """Toggles `*emphasis*` on the selected words (or the word at the cursor); one edit, so the
    inspector makes one undo step of it."""
    cursor = w.textCursor()
    text, start, end = toggle_emphasis(w.toPlainText(), cursor.selectionStart(), cursor.selectionEnd())
    if text == w.toPlainText():
        return
    w.setPlainText(text)
    c = w.textCursor()
    c.setPosition(start)
    c.setPosition(end, c.MoveMode.KeepAnchor)
    w.setTextCursor(c)


def _text_menu(w: QPlainTextEdit, pos) -> None:
    menu = w.createStandardContextMenu()
    menu.insertAction(menu.actions()[0] if menu.actions() else None, w.emphasise_action)
    menu.insertSeparator(menu.actions()[1])
    menu.exec(w.viewport().mapToGlobal(pos))
    menu.deleteLater()


UNIT_SUFFIXES = {"dB": " dB", "degrees": "°"}  # units short enough to show inside the editor


class FloatEditor(FieldEditor):
    def make(self, field, emit):
        w = QDoubleSpinBox()
        w.setRange(*field.editor_range)
        w.setSingleStep(field.step or 0.1)
        w.setDecimals(2)
        w.setSuffix(UNIT_SUFFIXES.get(field.unit, ""))
        changed = _quiet(w, emit)
        w.valueChanged.connect(lambda v: changed(float(v)))
        return w

    def show(self, w, value):
        w.setValue(value)


class PercentEditor(FieldEditor):
    """A fraction (opacity 0-1, a scale of 1.0) shown as a percentage."""

    def make(self, field, emit):
        w = QDoubleSpinBox()
        low, high = field.editor_range
        w.setRange(*(v * 100 if v is not None else d for v, d in zip((low, high), (-1e6, 1e6))))
        w.setSingleStep((field.step or 0.01) * 100)
        w.setDecimals(1)
        w.setSuffix(" %")
        changed = _quiet(w, emit)
        w.valueChanged.connect(lambda v: changed(round(float(v) / 100, 6)))
        return w

    def show(self, w, value):
        w.setValue(float(value) * 100)


MUTE_DB = -60.0  # the bottom of the gain editor: silence (a gain of 0)


def gain_to_db(gain: float) -> float:
    return MUTE_DB if gain <= 10 ** (MUTE_DB / 20) else max(MUTE_DB, 20 * math.log10(gain))


def db_to_gain(db: float) -> float:
    return 0.0 if db <= MUTE_DB else 10 ** (db / 20)


class GainDbEditor(FieldEditor):
    """A linear gain (a clip's volume) shown in dB, as sounds' volumes are; the bottom is mute."""

    def make(self, field, emit):
        w = QDoubleSpinBox()
        high = field.bounds[1]
        w.setRange(MUTE_DB, gain_to_db(high) if high else 24.0)
        w.setSingleStep(1.0)
        w.setDecimals(1)
        w.setSuffix(" dB")
        w.setSpecialValueText("Muted")  # shown at the minimum
        changed = _quiet(w, emit)
        w.valueChanged.connect(lambda v: changed(round(db_to_gain(float(v)), 6)))
        return w

    def show(self, w, value):
        w.setValue(gain_to_db(float(value)))


class SecondsEditor(FieldEditor):
    """A time or length in frames, shown in seconds at the project's rate (the inspector sets the
    widget's `fps` before showing a value); a typed time goes to the nearest frame."""

    def make(self, field, emit):
        w = QDoubleSpinBox()
        w.fps = Fraction(30)
        low, high = field.editor_range
        w._frames_range = (int(low or 0), int(high) if high is not None else 24 * 3600 * 120)
        w.setDecimals(2)
        w.setSingleStep(0.1)
        w.setSuffix(" s")
        self._set_range(w)
        changed = _quiet(w, emit)
        w.valueChanged.connect(lambda v: changed(int(round(float(v) * w.fps))))
        return w

    @staticmethod
    def _set_range(w) -> None:
        low, high = w._frames_range
        w.setRange(low / float(w.fps), high / float(w.fps))

    def show(self, w, value):
        self._set_range(w)
        w.setValue(int(value) / float(w.fps))


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


def parse_speed(text: str, low: float, high: float) -> Fraction | None:
    """A typed speed ("2", "0.75×", "1/3", "x4") as an exact Fraction within low..high, else None."""
    text = text.strip().replace("×", "").replace("x", "").replace("X", "").replace(",", ".").strip()
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    if not low <= value <= high:
        return None
    return value.limit_denominator(1000)


class SpeedEditor(FieldEditor):
    """Common speeds to pick (0.1× to 200×), or one typed ("1.25", "1/3"); kept exact as a Fraction.
    A typed speed outside the field's range, or not a number, puts the shown one back."""

    def make(self, field, emit):
        w = narrow(QComboBox())
        w.setEditable(True)
        w.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        low, high = (float(v) if v is not None else d for v, d in zip(field.editor_range, (0.01, 200.0)))
        w.setToolTip(f"Playback speed, {low:g}× to {high:g}× (the clip keeps its part of the source: "
                     "faster makes it shorter)")
        for s in SPEEDS:
            if low <= float(Fraction(s)) <= high:
                w.addItem(f"{s}×", s)
        w._shown = None

        def chosen(text: str) -> None:
            value = parse_speed(text, low, high)
            if value is None:
                self.show(w, w._shown if w._shown is not None else 1)
                return
            if w._shown is None or value != Fraction(w._shown).limit_denominator(1000):
                emit(value)

        w.activated.connect(lambda i: chosen(w.itemData(i) or w.currentText()))
        w.lineEdit().returnPressed.connect(lambda: chosen(w.currentText()))
        return w

    def show(self, w, value):
        w._shown = value
        w.setEditText(f"{float(value):.3g}×")  # a ramp's speed at the playhead: 1.89×, not 1.890625×


class ComboEditor(FieldEditor):
    """One of a list of (value, title); a value not in the list (a file's sticker) is added to it."""

    def pairs(self, field: Field) -> list[tuple[Any, str]]:
        return [(c, c.replace("_", " ").capitalize()) for c in field.choices]

    def make(self, field, emit):
        w = narrow(QComboBox())
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
    "percent": PercentEditor(), "gain_db": GainDbEditor(), "seconds": SecondsEditor(),
    "choice": ComboEditor(), "style": StyleEditor(), "sticker": StickerEditor(), "gesture": GestureEditor(),
    "color": ColourEditor(),
}
