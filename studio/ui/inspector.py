"""Inspector: the properties of the selected item. Each change is one document.set_property call
(an undo command; quick successive changes to one field merge). The editors are generated from
declarations: an item's from its kind's fields (studio.model.kinds), an effect's from its Params."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QToolButton, QVBoxLayout, QWidget)

from studio.effects.registry import default_registry
from studio.model import EffectRef, kind_of
from studio.model.items import EFFECT_REF_FIELDS

from .field_editors import EDITORS, editor_name
from .param_editors import ParamEditor
from .timeline_geometry import timecode_label

_UNCHANGED = object()  # a _change_effect argument that was not given
_TRIGGER = next(f for f in EFFECT_REF_FIELDS if f.name == "trigger")


def _show(widget, editor: str, value) -> None:
    """Put `value` in an editor without it reporting a change."""
    widget._setting = True
    try:
        EDITORS[editor].show(widget, value)
    finally:
        widget._setting = False


class Inspector(QWidget):
    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.registry = default_registry()
        self._item_key = None
        self._effects_key = None
        self._effects_field: str | None = None  # the selected item's effects field, when it has one
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
        self._effects_field = None

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
        kind = kind_of(item).title
        fps = self.document.project.fps
        self.title.setText(f"{kind} · {item.id}   {timecode_label(item.start, fps)} – {timecode_label(item.end, fps)}")
        self._update_values(item)

    def _build(self, item) -> None:
        box = QGroupBox("Properties")
        form = QFormLayout(box)
        sections = []
        for field in kind_of(item).fields:
            if not field.title:
                continue
            editor = editor_name(field)
            if editor == "effects":
                sections.append(field)
                continue
            set_prop = lambda value, name=field.name: self.document.set_property(item.id, name, value)  # noqa: E731
            widget = EDITORS[editor].make(field, set_prop)
            form.addRow(field.title, widget)
            self.editors[field.name] = (widget, editor)
        self.form_layout.addWidget(box)
        for field in sections[:1]:  # one effects list per item
            self._effects_field = field.name
            self.effects_box = QGroupBox(field.title)
            self.effects_layout = QVBoxLayout(self.effects_box)
            self.form_layout.addWidget(self.effects_box)

    def _update_values(self, item) -> None:
        for name, (w, editor) in self.editors.items():
            _show(w, editor, getattr(item, name))
        if self._effects_field is not None:
            self._update_effects(item)

    # -- effects ---------------------------------------------------------------------------------
    def _update_effects(self, clip) -> None:
        effects = getattr(clip, self._effects_field)
        key = tuple((e.id, e.enabled, e.trigger) for e in effects)
        if key != self._effects_key:
            self._effects_key = key
            self._build_effects(clip)
        for editors, ref in zip(self.effect_editors, effects):
            params = self.registry.validate(ref.id, ref.params) if ref.id in self.registry else ref.params
            for name, editor in editors.items():
                if name in params:
                    editor.set_value(params[name])

    def _build_effects(self, clip) -> None:
        while self.effects_layout.count():
            w = self.effects_layout.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.effect_editors = []
        for index, ref in enumerate(getattr(clip, self._effects_field)):
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
            form.addRow(_TRIGGER.title, self._trigger_combo(clip.id, index, ref.trigger))
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
        editor = editor_name(_TRIGGER)
        combo = EDITORS[editor].make(_TRIGGER, lambda value: self._change_effect(clip_id, index, trigger=value))
        _show(combo, editor, trigger)
        return combo

    def _effects_of(self, clip_id: str) -> tuple:
        timeline = self.document.project.timeline
        return getattr(timeline.get(clip_id), _effects_field(clip_id, timeline))

    def add_effect(self, clip_id: str, effect_id: str, params: dict | None = None) -> bool:
        effects = self._effects_of(clip_id)
        ref = EffectRef(effect_id, self.registry.validate(effect_id, params or {}))
        return self.document.edit(f"Add effect {effect_id}", lambda tl: self._set_effects(tl, clip_id, (*effects, ref)))

    def _remove_effect(self, clip_id: str, index: int) -> None:
        effects = list(self._effects_of(clip_id))
        del effects[index]
        self.document.edit("Remove effect", lambda tl: self._set_effects(tl, clip_id, tuple(effects)))

    def _change_effect(self, clip_id: str, index: int, enabled: bool | None = None, param=None,
                       trigger: str | None | object = _UNCHANGED) -> None:
        import dataclasses

        effects = list(self._effects_of(clip_id))
        ref = effects[index]
        if enabled is not None:
            ref = dataclasses.replace(ref, enabled=enabled)
        if trigger is not _UNCHANGED:
            ref = dataclasses.replace(ref, trigger=trigger)
        if param is not None:
            ref = dataclasses.replace(ref, params={**ref.params, param[0]: param[1]})
        effects[index] = ref
        what = param[0] if param else "enabled" if enabled is not None else "trigger"
        self.document.edit("Change effect", lambda tl: self._set_effects(tl, clip_id, tuple(effects)),
                           merge_key=("effect", clip_id, index, what), timed=True)

    @staticmethod
    def _set_effects(timeline, clip_id: str, effects: tuple):
        from studio.model import edits

        return edits.set_property(timeline, clip_id, _effects_field(clip_id, timeline), effects)


def _effects_field(item_id: str, timeline) -> str:
    """The name of the item's effects field (a clip's `effects`)."""
    return next(f.name for f in kind_of(timeline.get(item_id)).fields if f.type == "effects")
