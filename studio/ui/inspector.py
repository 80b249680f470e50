"""Inspector: the properties of the selected item. Each change is one document.set_property call
(an undo command; quick successive changes to one field merge). Effect parameter editors are
generated from each effect's declared Params."""
from __future__ import annotations

from fractions import Fraction

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QToolButton, QVBoxLayout, QWidget)

from studio.effects.registry import default_registry
from studio.library.stickers import list_stickers
from studio.library.styles import list_styles
from studio.model import ANIMATIONS, FIT_MODES, Clip, EffectRef, SoundItem, StickerItem, TextItem
from studio.model.items import SOUND_ROLES
from studio.tracking.gestures import GESTURES

from .param_editors import ParamEditor
from .timeline_geometry import timecode_label

SPEEDS = ("0.25", "0.5", "1", "1.5", "2", "3")
GESTURE_NAMES = {"open_palm": "an open palm", "peace": "a peace sign", "thumbs_up": "a thumbs-up",
                 "pointing": "a pointing finger"}
_UNCHANGED = object()  # a _change_effect argument that was not given

# field -> (label, editor kind, options)
FIELDS = {
    TextItem: [("content", "Text", "text", {}), ("style", "Style", "combo", {"choices": "styles"}),
               ("size", "Size", "float", {"min": 0.1, "max": 6, "step": 0.05}),
               ("x", "X", "float", {"min": -1, "max": 2, "step": 0.01}),
               ("y", "Y", "float", {"min": -1, "max": 2, "step": 0.01}),
               ("width", "Wrap width", "float", {"min": 0.1, "max": 1, "step": 0.05}),
               ("rotation", "Rotation °", "float", {"min": -180, "max": 180, "step": 1}),
               ("opacity", "Opacity", "float", {"min": 0, "max": 1, "step": 0.05}),
               ("anim_in", "Animation in", "combo", {"choices": ANIMATIONS}),
               ("anim_out", "Animation out", "combo", {"choices": ANIMATIONS}),
               ("anim_frames", "Animation frames", "int", {"min": 0, "max": 120})],
    StickerItem: [("sticker", "Sticker", "combo", {"choices": "stickers"}),
                  ("x", "X", "float", {"min": -1, "max": 2, "step": 0.01}),
                  ("y", "Y", "float", {"min": -1, "max": 2, "step": 0.01}),
                  ("scale", "Scale", "float", {"min": 0.02, "max": 3, "step": 0.01}),
                  ("rotation", "Rotation °", "float", {"min": -180, "max": 180, "step": 1}),
                  ("opacity", "Opacity", "float", {"min": 0, "max": 1, "step": 0.05}),
                  ("face_anchor", "Follow face", "bool", {})],
    Clip: [("speed", "Speed", "speed", {}), ("volume", "Volume", "float", {"min": 0, "max": 4, "step": 0.05}),
           ("fit", "Fit", "combo", {"choices": FIT_MODES})],
    SoundItem: [("volume_db", "Volume dB", "float", {"min": -60, "max": 12, "step": 0.5}),
                ("fade_in", "Fade in (frames)", "int", {"min": 0, "max": 3000}),
                ("fade_out", "Fade out (frames)", "int", {"min": 0, "max": 3000}),
                ("loop", "Loop", "bool", {}), ("role", "Role", "combo", {"choices": SOUND_ROLES})],
}


class Inspector(QWidget):
    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.registry = default_registry()
        self._item_key = None
        self._effects_key = None
        self.editors: dict[str, tuple] = {}
        self.effect_editors: list[dict] = []

        self.title = QLabel("Nothing selected")
        self.title.setObjectName("panelTitle")
        self.hint = QLabel("Select a clip, text, sticker or sound on the timeline or the preview.")
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.form_host = QWidget()
        self.form_layout = QVBoxLayout(self.form_host)
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        v = QVBoxLayout(inner)
        v.addWidget(self.title)
        v.addWidget(self.hint)
        v.addWidget(self.form_host)
        v.addStretch(1)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        document.selection_changed.connect(lambda _: self.refresh())
        document.project_changed.connect(lambda _: self.refresh())
        self.refresh()

    # -- building ------------------------------------------------------------------------------
    def _clear(self) -> None:
        while self.form_layout.count():
            w = self.form_layout.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.editors = {}
        self.effect_editors = []
        self._effects_key = None

    def refresh(self) -> None:
        items = self.document.selected_items()
        if len(items) != 1:
            if self._item_key is not None or not self.editors:
                self._clear()
                self._item_key = None
            self.title.setText("Nothing selected" if not items else f"{len(items)} items selected")
            self.hint.setVisible(True)
            self.hint.setText("Select a clip, text, sticker or sound on the timeline or the preview." if not items
                              else "Delete, ripple delete or drag them together; select one to edit its properties.")
            return
        item = items[0]
        key = (item.id, type(item))
        if key != self._item_key:
            self._clear()
            self._item_key = key
            self._build(item)
        self.hint.setVisible(False)
        kind = {Clip: "Clip", TextItem: "Text", StickerItem: "Sticker", SoundItem: "Sound"}[type(item)]
        fps = self.document.project.fps
        self.title.setText(f"{kind} · {item.id}   {timecode_label(item.start, fps)} – {timecode_label(item.end, fps)}")
        self._update_values(item)

    def _build(self, item) -> None:
        box = QGroupBox("Properties")
        form = QFormLayout(box)
        for name, label, kind, opts in FIELDS[type(item)]:
            editor = self._make_editor(item.id, name, kind, opts)
            form.addRow(label, editor)
            self.editors[name] = (editor, kind)
        self.form_layout.addWidget(box)
        if isinstance(item, Clip):
            self.effects_box = QGroupBox("Effects")
            self.effects_layout = QVBoxLayout(self.effects_box)
            self.form_layout.addWidget(self.effects_box)

    def _make_editor(self, item_id: str, name: str, kind: str, opts: dict):
        set_prop = lambda value: self.document.set_property(item_id, name, value)  # noqa: E731
        if kind == "text":
            w = QPlainTextEdit()
            w.setFixedHeight(64)
            w.textChanged.connect(lambda: None if getattr(w, "_setting", False) else set_prop(w.toPlainText()))
        elif kind == "float":
            w = QDoubleSpinBox()
            w.setRange(opts["min"], opts["max"])
            w.setSingleStep(opts.get("step", 0.1))
            w.setDecimals(2)
            w.valueChanged.connect(lambda v: None if getattr(w, "_setting", False) else set_prop(float(v)))
        elif kind == "int":
            w = QSpinBox()
            w.setRange(opts["min"], opts["max"])
            w.valueChanged.connect(lambda v: None if getattr(w, "_setting", False) else set_prop(int(v)))
        elif kind == "bool":
            w = QCheckBox()
            w.toggled.connect(lambda v: None if getattr(w, "_setting", False) else set_prop(bool(v)))
        elif kind == "speed":
            w = QComboBox()
            w.setEditable(True)
            for s in SPEEDS:
                w.addItem(f"{s}×", s)
            w.activated.connect(lambda _: set_prop(Fraction(w.currentData() or w.currentText().rstrip("×"))))
        else:
            w = QComboBox()
            choices = opts["choices"]
            if choices == "styles":
                pairs = [(s.id, s.title) for s in list_styles()]
            elif choices == "stickers":
                pairs = [(s.id, s.title) for s in list_stickers()]
            else:
                pairs = [(c, c.replace("_", " ")) for c in choices]
            for key, title in pairs:
                w.addItem(title, key)
            w.currentIndexChanged.connect(lambda _: None if getattr(w, "_setting", False) else set_prop(w.currentData()))
        return w

    def _update_values(self, item) -> None:
        for name, (w, kind) in self.editors.items():
            value = getattr(item, name)
            w._setting = True
            try:
                if kind == "text":
                    if w.toPlainText() != value:
                        cursor = w.textCursor().position()
                        w.setPlainText(value)
                        c = w.textCursor()
                        c.setPosition(min(cursor, len(value)))
                        w.setTextCursor(c)
                elif kind in ("float", "int"):
                    w.setValue(value)
                elif kind == "bool":
                    w.setChecked(bool(value))
                elif kind == "speed":
                    w.setEditText(f"{float(value):g}×")
                else:
                    index = w.findData(value)
                    if index < 0:
                        w.addItem(str(value), value)
                        index = w.count() - 1
                    w.setCurrentIndex(index)
            finally:
                w._setting = False
        if isinstance(item, Clip):
            self._update_effects(item)

    # -- effects ---------------------------------------------------------------------------------
    def _update_effects(self, clip: Clip) -> None:
        key = tuple((e.id, e.enabled, e.trigger) for e in clip.effects)
        if key != self._effects_key:
            self._effects_key = key
            self._build_effects(clip)
        for editors, ref in zip(self.effect_editors, clip.effects):
            params = self.registry.validate(ref.id, ref.params) if ref.id in self.registry else ref.params
            for name, editor in editors.items():
                if name in params:
                    editor.set_value(params[name])

    def _build_effects(self, clip: Clip) -> None:
        while self.effects_layout.count():
            w = self.effects_layout.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.effect_editors = []
        for index, ref in enumerate(clip.effects):
            group = QGroupBox()
            form = QFormLayout(group)
            head = QHBoxLayout()
            known = ref.id in self.registry
            effect = self.registry.get(ref.id) if known else None
            enabled = QCheckBox(effect.title if effect else f"{ref.id} (unknown)")
            enabled.setChecked(ref.enabled)
            enabled.toggled.connect(lambda on, i=index: self._change_effect(clip.id, i, enabled=on))
            remove = QToolButton(text="✕")
            remove.setToolTip("Remove this effect")
            remove.clicked.connect(lambda _=False, i=index: self._remove_effect(clip.id, i))
            head.addWidget(enabled, 1)
            head.addWidget(remove)
            form.addRow(head)
            editors = {}
            if effect is not None:
                params = self.registry.validate(ref.id, ref.params)
                for param in effect.params:
                    editor = ParamEditor(param, params[param.name],
                                         lambda v, i=index, n=param.name: self._change_effect(clip.id, i, param=(n, v)))
                    form.addRow(param.title or param.name.replace("_", " ").capitalize(), editor.widget)
                    editors[param.name] = editor
            form.addRow("Switch on", self._trigger_combo(clip.id, index, ref.trigger))
            self.effect_editors.append(editors)
            self.effects_layout.addWidget(group)
        add_row = QWidget()
        h = QHBoxLayout(add_row)
        h.setContentsMargins(0, 0, 0, 0)
        self.add_effect_combo = QComboBox()
        for effect in self.registry.list():
            self.add_effect_combo.addItem(f"{effect.title}  ({effect.category})", effect.id)
        add = QPushButton("Add effect")
        add.clicked.connect(lambda: self.add_effect(clip.id, self.add_effect_combo.currentData()))
        h.addWidget(self.add_effect_combo, 1)
        h.addWidget(add)
        self.effects_layout.addWidget(add_row)

    def _trigger_combo(self, clip_id: str, index: int, trigger: str | None) -> QComboBox:
        """Always, or only while a hand in the clip shows a gesture (the effect's trigger)."""
        combo = QComboBox()
        combo.addItem("Always", None)
        for gesture in GESTURES:
            combo.addItem(f"While the hand shows {GESTURE_NAMES.get(gesture, gesture)}", gesture)
        combo.setCurrentIndex(max(0, combo.findData(trigger)) if trigger else 0)
        combo.currentIndexChanged.connect(
            lambda _: self._change_effect(clip_id, index, trigger=combo.currentData() or None))
        return combo

    def _clip(self, clip_id: str) -> Clip:
        return self.document.project.timeline.get(clip_id)

    def add_effect(self, clip_id: str, effect_id: str, params: dict | None = None) -> bool:
        clip = self._clip(clip_id)
        ref = EffectRef(effect_id, self.registry.validate(effect_id, params or {}))
        return self.document.edit(f"Add effect {effect_id}", lambda tl: _set_effects(tl, clip_id, (*clip.effects, ref)))

    def _remove_effect(self, clip_id: str, index: int) -> None:
        effects = list(self._clip(clip_id).effects)
        del effects[index]
        self.document.edit("Remove effect", lambda tl: _set_effects(tl, clip_id, tuple(effects)))

    def _change_effect(self, clip_id: str, index: int, enabled: bool | None = None, param=None,
                       trigger: str | None | object = _UNCHANGED) -> None:
        import dataclasses

        effects = list(self._clip(clip_id).effects)
        ref = effects[index]
        if enabled is not None:
            ref = dataclasses.replace(ref, enabled=enabled)
        if trigger is not _UNCHANGED:
            ref = dataclasses.replace(ref, trigger=trigger)
        if param is not None:
            ref = dataclasses.replace(ref, params={**ref.params, param[0]: param[1]})
        effects[index] = ref
        what = param[0] if param else "enabled" if enabled is not None else "trigger"
        self.document.edit("Change effect", lambda tl: _set_effects(tl, clip_id, tuple(effects)),
                           merge_key=("effect", clip_id, index, what), timed=True)


def _set_effects(timeline, clip_id: str, effects: tuple):
    from studio.model import edits

    return edits.set_property(timeline, clip_id, "effects", effects)
