"""Inspector: the properties of the selected item. Each change is one document.set_property call
(an undo command; quick successive changes to one field merge). The editors are generated from
declarations: an item's from its kind's fields (studio.model.kinds), in groups (field_editors.
group_of), an effect's from its Params.

An animatable value (a field declared animatable, an effect Param with animatable=True) gets
keyframe controls (keyframe_controls.KeyRow): while it has keys its editor shows the value at the
playhead and an edit keys it there instead of changing the item's own value."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QToolButton, QVBoxLayout, QWidget)

from studio.effects.registry import default_registry
from studio.model import EffectRef, kind_of
from studio.model.items import EFFECT_REF_FIELDS

from . import key_edits as ke
from .field_editors import EDITORS, editor_name, group_of, narrow
from .names import titled_item
from .keyframe_controls import KeyRow, SpeedCurveChoice, edit_keyed_value
from .param_editors import ParamEditor, animatable
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
        self.key_rows: dict[str, KeyRow] = {}         # field name -> its keyframe controls
        self.effect_key_rows: dict[str, KeyRow] = {}  # "effect_id.param" -> its keyframe controls
        self.groups: dict[str, QGroupBox] = {}
        self.speed_curve: SpeedCurveChoice | None = None

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
        document.playhead_changed.connect(lambda _: self._playhead_moved())
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
        self.key_rows = {}
        self.effect_key_rows = {}
        self.groups = {}
        self.speed_curve = None
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
        fps = self.document.project.fps
        self.title.setText(f"{titled_item(item)}   {timecode_label(item.start, fps)} – {timecode_label(item.end, fps)}")
        self._update_values(item)

    def _build(self, item) -> None:
        forms: dict[str, QFormLayout] = {}
        sections = []
        for field in kind_of(item).fields:
            if not field.title:
                continue
            editor = editor_name(field)
            if editor == "effects":
                sections.append(field)
                continue
            group = group_of(field)
            if group not in forms:
                box = QGroupBox(group)
                forms[group] = QFormLayout(box)
                self.groups[group] = box
                self.form_layout.addWidget(box)
            set_prop = lambda value, f=field: self._set_field(item.id, f, value)  # noqa: E731
            widget = EDITORS[editor].make(field, set_prop)
            row = widget
            if field.animatable:
                row = KeyRow(widget, self.document, item.id, field.name, field.title, self.registry)
                self.key_rows[field.name] = row
            forms[group].addRow(field.title, row)
            self.editors[field.name] = (widget, editor)
            if editor == "speed" and field.animatable:
                self.speed_curve = SpeedCurveChoice(self.document, item.id)
                forms[group].addRow("Speed curve", self.speed_curve)
        _align_labels(forms.values())
        for field in sections[:1]:  # one effects list per item
            self._effects_field = field.name
            self.effects_box = QGroupBox(field.title)
            self.effects_layout = QVBoxLayout(self.effects_box)
            self.form_layout.addWidget(self.effects_box)

    def _set_field(self, item_id: str, field, value) -> None:
        """An editor's change: a key at the playhead while the value has keys, else the item's value."""
        item = self.document.project.timeline.get(item_id)
        if field.animatable and ke.is_keyed(item, field.name):
            edit_keyed_value(self.document, item, field.name, field.title, value)
        else:
            self.document.set_property(item_id, field.name, value)

    def _update_values(self, item) -> None:
        playhead = self.document.playhead
        for name, (w, editor) in self.editors.items():
            value = getattr(item, name)
            if editor == "seconds":
                w.fps = self.document.project.fps
            if name in self.key_rows and ke.is_keyed(item, name):
                value = ke.shown_value(item, name, playhead, base=float(value))
            _show(w, editor, value)
        for row in self.key_rows.values():
            row.refresh(item)
        if self.speed_curve is not None:
            self.speed_curve.show_curve(item)
        if self._effects_field is not None:
            self._update_effects(item)

    def _playhead_moved(self) -> None:
        """Keyed values follow the playhead; every key control shows its state there."""
        items = self.document.selected_items()
        if len(items) != 1 or (items[0].id, type(items[0])) != self._item_key:
            return
        item = items[0]
        playhead = self.document.playhead
        for name, row in self.key_rows.items():
            if ke.is_keyed(item, name):
                w, editor = self.editors[name]
                _show(w, editor, ke.shown_value(item, name, playhead, base=float(getattr(item, name))))
            row.refresh(item)
        if self._effects_field is not None and self.effect_key_rows:
            self._update_effects(item)

    # -- effects ---------------------------------------------------------------------------------
    def _update_effects(self, clip) -> None:
        effects = getattr(clip, self._effects_field)
        key = tuple((e.id, e.enabled, e.trigger) for e in effects)
        if key != self._effects_key:
            self._effects_key = key
            self._build_effects(clip)
        playhead = self.document.playhead
        for editors, ref in zip(self.effect_editors, effects):
            params = self.registry.validate(ref.id, ref.params) if ref.id in self.registry else ref.params
            for name, editor in editors.items():
                if name in params:
                    key = f"{ref.id}.{name}"
                    row = self.effect_key_rows.get(key)
                    if row is not None and ke.is_keyed(clip, key):
                        value = ke.shown_value(clip, key, playhead, base=float(params[name]))
                        editor.set_value(value)
                    else:
                        editor.set_value(params[name])
        for row in self.effect_key_rows.values():
            row.refresh(clip)

    def _build_effects(self, clip) -> None:
        while self.effects_layout.count():
            w = self.effects_layout.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.effect_editors = []
        self.effect_key_rows = {}
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
                keyed_here = ke.keyed_effect_index(clip, ref.id) == index  # keys animate this one
                for param in effect.params:
                    title = param.title or param.name.replace("_", " ").capitalize()
                    editor = ParamEditor(param, params[param.name],
                                         lambda v, i=index, n=param.name: self._change_effect_param(clip.id, i, n, v))
                    row = editor.widget
                    if keyed_here and animatable(param):
                        key = f"{ref.id}.{param.name}"
                        row = KeyRow(editor.widget, self.document, clip.id, key,
                                     ke.param_title(clip, key, self.registry), self.registry)
                        self.effect_key_rows[key] = row
                    form.addRow(title, row)
                    editors[param.name] = editor
            form.addRow(_TRIGGER.title, self._trigger_combo(clip.id, index, ref.trigger))
            self.effect_editors.append(editors)
            self.effects_layout.addWidget(group)
        add_row = QWidget()
        h = QHBoxLayout(add_row)
        h.setContentsMargins(0, 0, 0, 0)
        self.add_effect_combo = narrow(QComboBox(), 12)
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
        from .names import item_name
        title = self.registry.get(effect_id).title if effect_id in self.registry else effect_id
        return self.document.edit(f"Add effect “{title}” to {item_name(self.document.project.timeline.get(clip_id))}",
                                  lambda tl: self._set_effects(tl, clip_id, (*effects, ref)))

    def _remove_effect(self, clip_id: str, index: int) -> None:
        """The effect goes, and with the last effect of its id the keys that animated it (one step)."""
        from .layout_actions import item_name

        effects = list(self._effects_of(clip_id))
        removed = effects.pop(index)

        def run(tl):
            if not any(e.id == removed.id for e in effects):
                tl = ke.without_effect_keys(tl, clip_id, removed.id)
            return self._set_effects(tl, clip_id, tuple(effects))

        title = self.registry.get(removed.id).title if removed.id in self.registry else removed.id
        self.document.edit(f"Remove effect “{title}” from {item_name(self.document.project.timeline.get(clip_id))}",
                           run)

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
        from .names import item_name
        known = ref.id in self.registry
        title = self.registry.get(ref.id).title if known else ref.id
        if param is not None:
            spec = next((p for p in self.registry.get(ref.id).params if p.name == param[0]), None) if known else None
            change = f"Change {(getattr(spec, 'title', '') or param[0].replace('_', ' ')).lower()} of “{title}”"
        elif enabled is not None:
            change = f"{'Turn on' if enabled else 'Turn off'} “{title}”"
        else:
            change = f"Switch on “{title}” by gesture"
        clip_name = item_name(self.document.project.timeline.get(clip_id))
        self.document.edit(f"{change} on {clip_name}", lambda tl: self._set_effects(tl, clip_id, tuple(effects)),
                           merge_key=("effect", clip_id, index, what), timed=True)

    def _change_effect_param(self, clip_id: str, index: int, name: str, value) -> None:
        """A param editor's change: a key at the playhead while the param has keys (on the effect
        its keys animate), else the effect's own value."""
        item = self.document.project.timeline.get(clip_id)
        ref = self._effects_of(clip_id)[index]
        key = f"{ref.id}.{name}"
        row = self.effect_key_rows.get(key)
        if row is not None and ke.keyed_effect_index(item, ref.id) == index and ke.is_keyed(item, key):
            edit_keyed_value(self.document, item, key, row.title, value)
        else:
            self._change_effect(clip_id, index, param=(name, value))

    @staticmethod
    def _set_effects(timeline, clip_id: str, effects: tuple):
        from studio.model import edits

        return edits.set_property(timeline, clip_id, _effects_field(clip_id, timeline), effects)


def _align_labels(forms) -> None:
    """One label column width for all the groups' forms, so their editors line up."""
    labels = [form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget() for form in forms
              for r in range(form.rowCount()) if form.itemAt(r, QFormLayout.ItemRole.LabelRole) is not None]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def _effects_field(item_id: str, timeline) -> str:
    """The name of the item's effects field (a clip's `effects`)."""
    return next(f.name for f in kind_of(timeline.get(item_id)).fields if f.type == "effects")
