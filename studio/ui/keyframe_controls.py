"""The inspector's keyframe controls for one animatable value (an item field or an effect param):
◀ ◆ ▶ beside its editor and, while the value has keys, the easing of the key at the playhead under
it; and a clip's speed curve choice. Every click is one document.edit with a human undo title; the
rules live in key_edits (pure)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from studio.model.keys import EASINGS

from . import key_edits as ke
from .field_editors import narrow

KEY_STYLES = {  # the ◆ button's look per state: a key here, keys elsewhere, no keys
    ke.ON: ("◆", "color: #ffc233;"),
    ke.ELSEWHERE: ("◇", "color: #ffc233;"),
    ke.NONE: ("◇", "color: #6c6c7a;"),
}
KEY_TIPS = {
    ke.ON: "Remove the keyframe of {title} at the playhead",
    ke.ELSEWHERE: "Add a keyframe of {title} at the playhead (it has keyframes elsewhere)",
    ke.NONE: "Animate {title}: add a keyframe with its value at the playhead",
}


def _item_name(item) -> str:
    from .layout_actions import item_name

    return item_name(item)


def _tool(text: str, tip: str, slot: Callable) -> QToolButton:
    b = QToolButton(text=text)
    b.setToolTip(tip)
    b.setAutoRaise(True)
    b.setFixedSize(22, 22)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.clicked.connect(slot)
    return b


class KeyRow(QWidget):
    """An animatable value's form row: its editor, ◀ (previous key), ◆ (key at the playhead: add /
    remove) and ▶ (next key); under them, while the value has keys, the ease of the key at the
    playhead. `refresh(item)` shows the state at the document's playhead."""

    def __init__(self, editor: QWidget, document, item_id: str, param: str, title: str, registry=None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.item_id, self.param, self.title = document, item_id, param, title
        self.registry = registry
        self.editor = editor
        self.state: str | None = None  # set by refresh
        self._shown: tuple = (None, None)
        self._setting = False
        self.prev = _tool("◀", f"Previous keyframe of {title}", lambda: self.jump(-1))
        self.toggle = _tool("◇", "", self.toggle_key)
        self.toggle.setObjectName("keyToggle")
        self.next = _tool("▶", f"Next keyframe of {title}", lambda: self.jump(1))
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(1)
        line.addWidget(editor, 1)
        for b in (self.prev, self.toggle, self.next):
            line.addWidget(b)
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # rows line up whether or not they have keys
            b.setSizePolicy(policy)
        self.ease = narrow(QComboBox())
        for name in EASINGS:
            self.ease.addItem(ke.EASE_TITLES[name], name)
        self.ease.setToolTip(f"How {title} moves from the keyframe at the playhead to the next one")
        self.ease.currentIndexChanged.connect(self._ease_chosen)
        self.ease_label = QLabel("Ease")
        self.ease_label.setObjectName("hint")
        self.ease_row = QWidget()
        ease_line = QHBoxLayout(self.ease_row)
        ease_line.setContentsMargins(0, 0, 0, 0)
        ease_line.addWidget(self.ease_label)
        ease_line.addWidget(self.ease, 1)
        ease_line.addSpacing(3 * 23)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(line)
        box.addWidget(self.ease_row)
        self.ease_row.setVisible(False)

    # -- what the controls show --------------------------------------------------------------------
    def refresh(self, item) -> None:
        playhead = self.document.playhead
        if not getattr(item, "keys", ()) and self.state == ke.NONE and self._shown[1] == ke.covers(item, playhead):
            return  # the common case while playing: nothing keyed, nothing to change
        key = ke.key_at(item, self.param, playhead)
        shown = (ke.key_state(item, self.param, playhead), ke.covers(item, playhead),
                 ke.neighbour_key(item, self.param, playhead, -1) is not None,
                 ke.neighbour_key(item, self.param, playhead, 1) is not None, key is not None,
                 key.ease if key else ke.segment_ease(item, self.param, playhead))
        if shown != self._shown:  # widgets change only when what they show does (the playhead moves often)
            self._show(*shown)

    def _show(self, state: str, inside: bool, has_prev: bool, has_next: bool, on_key: bool, ease: str | None) -> None:
        """`ease`: the key's at the playhead (on_key), else the one the value moves by there (shown greyed)."""
        self._shown = (state, inside, has_prev, has_next, on_key, ease)
        if state != self.state:
            text, style = KEY_STYLES[state]
            self.toggle.setText(text)
            self.toggle.setStyleSheet(f"QToolButton {{ {style} font-size: 14px; }}")
        self.state = state
        self.toggle.setEnabled(inside)
        self.toggle.setToolTip(KEY_TIPS[state].format(title=self.title) if inside
                               else "Move the playhead over the item to key it")
        keyed = state != ke.NONE
        self.prev.setEnabled(has_prev)
        self.next.setEnabled(has_next)
        self.prev.setVisible(keyed)
        self.next.setVisible(keyed)
        self.ease_row.setVisible(keyed)
        self._setting = True
        try:
            self.ease.setCurrentIndex(max(0, self.ease.findData(ease or "linear")))
        finally:
            self._setting = False
        self.ease.setEnabled(on_key)
        self.ease_label.setEnabled(on_key)
        self.ease.setToolTip(f"How {self.title} moves from this keyframe to the next one" if on_key else
                             f"Move the playhead onto a keyframe of {self.title} (◀ ▶) to choose its easing")

    # -- clicks ---------------------------------------------------------------------------------------
    def _item(self):
        return self.document.project.timeline.get(self.item_id)

    def toggle_key(self) -> bool:
        """◆: a key with the value shown at the playhead, or the key there removed. One undo step."""
        item = self._item()
        playhead = self.document.playhead
        if not ke.covers(item, playhead):
            return False
        local = playhead - item.start
        name = _item_name(item)
        if ke.key_at(item, self.param, playhead) is not None:
            return self.document.edit(f"Remove keyframe {self.title} of {name}",
                                      lambda tl: ke.remove_key(tl, self.item_id, self.param, local))
        value = ke.shown_value(item, self.param, playhead, registry=self.registry)
        return self.document.edit(f"Keyframe {self.title} of {name}",
                                  lambda tl: ke.set_key(tl, self.item_id, self.param, local, value))

    def jump(self, direction: int) -> None:
        frame = ke.neighbour_key(self._item(), self.param, self.document.playhead, direction)
        if frame is not None:
            self.document.set_playhead(frame)

    def _ease_chosen(self, _index: int) -> None:
        if self._setting:
            return
        self.set_ease(self.ease.currentData())

    def set_ease(self, ease: str) -> bool:
        item = self._item()
        key = ke.key_at(item, self.param, self.document.playhead)
        if key is None or key.ease == ease:
            return False
        return self.document.edit(f"{ke.EASE_TITLES[ease]} from keyframe {self.title} of {_item_name(item)}",
                                  lambda tl: ke.set_ease(tl, self.item_id, self.param, key.frame, ease))


def edit_keyed_value(document, item, param: str, title: str, value) -> bool:
    """An edit of a keyed value in the inspector: the key at the playhead gets it (spinning merges,
    as property edits do)."""
    local = ke.local_frame(item, document.playhead)
    return document.edit(f"Keyframe {title} of {_item_name(item)}",
                         lambda tl: ke.set_key(tl, item.id, param, local, float(value)),
                         merge_key=("key", item.id, param, local), timed=True)


class SpeedCurveChoice(QComboBox):
    """A clip's speed curve: none, or a preset laid over the clip (shortened where its source would
    run out); "Custom" shows speed keys set by hand."""

    def __init__(self, document, item_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        narrow(self)
        self.document, self.item_id = document, item_id
        self._setting = False
        for name, title in ke.CURVE_TITLES.items():
            self.addItem(title, name)
        self.addItem("Custom (keyframes)", ke.CUSTOM_CURVE)
        self.setToolTip("Speed ramps creators know: the clip's speed keys from a preset over its length")
        self.currentIndexChanged.connect(self._chosen)

    def show_curve(self, clip) -> None:
        self._setting = True
        try:
            self.setCurrentIndex(self.findData(ke.speed_curve(clip)))
        finally:
            self._setting = False

    def _chosen(self, _index: int) -> None:
        if self._setting:
            return
        curve = self.currentData()
        if curve == ke.CUSTOM_CURVE or not self.apply(curve):
            self.show_curve(self.document.project.timeline.get(self.item_id))

    def apply(self, curve: str) -> bool:
        clip = self.document.project.timeline.get(self.item_id)
        if ke.speed_curve(clip) == curve:
            return False
        text = (f"Remove speed curve of {_item_name(clip)}" if curve == "none"
                else f"Speed curve “{ke.CURVE_TITLES[curve]}” on {_item_name(clip)}")
        return self.document.edit(text, lambda tl: ke.apply_speed_curve(tl, self.item_id, curve))
