"""Editors generated from declared parameters (studio.effects.params.Param): the UI never knows
an effect by name, so a new effect gets its editor for free (and a number declared
animatable=True its keyframe controls: the inspector puts a keyframe_controls.KeyRow around it)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDoubleSpinBox, QFileDialog, QHBoxLayout,
                               QLineEdit, QPushButton, QSpinBox, QWidget)


def _choices_for(kind: str) -> list[tuple[str, str]]:
    if kind == "sticker":
        from studio.library.stickers import list_stickers
        return [(s.id, s.title) for s in list_stickers()]
    if kind == "look":
        from studio.library.looks import list_looks
        return [(lk.id, lk.title) for lk in list_looks()]
    return []


def animatable(param) -> bool:
    """Keys can animate the param: declared animatable, and a float (keys hold floats, and the
    renderer hands a keyed value to the effect as it is)."""
    return bool(getattr(param, "animatable", False)) and param.type == "float"


class ParamEditor:
    """A widget for one Param plus set_value()/value() that never emit while being set."""

    def __init__(self, param, value: Any, on_change: Callable[[Any], None]):
        self.param = param
        self._on_change = on_change
        self._setting = False
        t = param.type
        if t == "float":
            w = QDoubleSpinBox()
            w.setDecimals(2)
            w.setSingleStep(0.05 if (param.max or 1) <= 1 else 0.1)
            w.setRange(param.min if param.min is not None else -1e6, param.max if param.max is not None else 1e6)
            w.valueChanged.connect(lambda v: self._emit(float(v)))
        elif t == "int":
            w = QSpinBox()
            w.setRange(int(param.min if param.min is not None else -10**6), int(param.max if param.max is not None else 10**6))
            w.valueChanged.connect(lambda v: self._emit(int(v)))
        elif t == "bool":
            w = QCheckBox()
            w.toggled.connect(lambda v: self._emit(bool(v)))
        elif t == "sticker":  # a thumbnail grid, AR accessories first (ui/sticker_picker.py)
            from .sticker_picker import StickerPicker

            w = StickerPicker()
            w.chosen.connect(self._emit)
        elif t in ("choice", "look"):
            w = QComboBox()
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(8)  # the inspector is a side panel: long names elide
            options = [(c, str(c)) for c in param.choices] if t == "choice" else _choices_for(t)
            for key, title in options:
                w.addItem(title, key)
            w.currentIndexChanged.connect(lambda _: self._emit(w.currentData()))
        elif t == "color":
            w = QPushButton()
            w.clicked.connect(self._pick_colour)
        else:  # media: a path or a colour for backgrounds
            w = QWidget()
            row = QHBoxLayout(w)
            row.setContentsMargins(0, 0, 0, 0)
            self._line = QLineEdit()
            self._line.editingFinished.connect(lambda: self._emit(self._line.text().strip() or param.default))
            browse = QPushButton("…")
            browse.setFixedWidth(28)
            browse.clicked.connect(self._browse)
            row.addWidget(self._line, 1)
            row.addWidget(browse)
        self.widget = w
        w.setToolTip(param.title or param.name)
        self.set_value(value)

    def _emit(self, value: Any) -> None:
        if not self._setting:
            self._on_change(value)

    def _pick_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self._colour), self.widget, self.param.title or self.param.name)
        if colour.isValid():
            self._emit(colour.name())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.widget, "Choose a file")
        if path:
            self._emit(path)

    def set_value(self, value: Any) -> None:
        self._setting = True
        try:
            w, t = self.widget, self.param.type
            if t in ("float", "int"):
                w.setValue(value)
            elif t == "bool":
                w.setChecked(bool(value))
            elif t == "sticker":
                w.set_value(value)
            elif t in ("choice", "look"):
                index = w.findData(value)
                if index < 0:
                    w.addItem(str(value), value)
                    index = w.count() - 1
                w.setCurrentIndex(index)
            elif t == "color":
                self._colour = value
                w.setText(value)
                w.setStyleSheet(f"background:{value}; color:{'#000' if QColor(value).lightness() > 128 else '#fff'}")
            else:
                self._line.setText(str(value))
        finally:
            self._setting = False
