"""The Transitions library tab: every transition the engine draws, each with a thumbnail the engine
renders (studio.render.transitions.transition_sprite between an "A" and a "B" card); the current
one plays through while the tab is visible. Double-click or Apply sets it into the selected clip;
dragging one onto a cut on the timeline does the same (EditActions.drop)."""
from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from studio.render.transitions import DEFAULT_FRAMES, TRANSITIONS

from .library_panels import PAYLOAD, LibraryList
from .timeline_geometry import seconds_label

THUMB = (54, 96)          # 9:16, like the shorts it is for
ANIMATION_STEPS = 16      # frames of the thumbnail that plays for the current transition
CARDS = (((236, 92, 84), "A"), ((40, 150, 190), "B"))  # outgoing, incoming


def _card(size: tuple[int, int], colour, letter: str) -> np.ndarray:
    w, h = size
    rgb = np.empty((h, w, 3), np.uint8)
    rgb[...] = colour
    # a lighter band at the top shows where the picture goes in pushes and slides
    rgb[: h // 5] = np.minimum(255, np.array(colour) + 60)
    scale = h / 64
    (tw, th), _ = cv2.getTextSize(letter, cv2.FONT_HERSHEY_DUPLEX, scale, 2)
    cv2.putText(rgb, letter, ((w - tw) // 2, (h + th) // 2), cv2.FONT_HERSHEY_DUPLEX, scale, (255, 255, 255), 2,
                cv2.LINE_AA)
    return rgb


@lru_cache(maxsize=4)
def _cards(size: tuple[int, int]):
    from studio.render.canvas import RGB, make_sprite

    sprites = []
    for colour, letter in CARDS:
        rgb = _card(size, colour, letter)
        rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
        sprites.append(make_sprite(rgba, RGB))
    return tuple(sprites)


@lru_cache(maxsize=len(TRANSITIONS) * (ANIMATION_STEPS + 2))
def transition_frame(kind: str, progress: float, size: tuple[int, int] = THUMB) -> np.ndarray:
    """An RGB picture of transition `kind` at `progress` from card A to card B, drawn by the engine."""
    from studio.render.transitions import transition_sprite

    a, b = _cards(size)
    sprite = transition_sprite(kind, progress, a, b)
    values, _ = sprite.planes[0]
    return np.ascontiguousarray(values)  # premultiplied: what it shows over black


# the still thumbnail's moment: the middle, except where the middle is one flat colour
STILL_PROGRESS = {"dip_black": 0.3, "dip_white": 0.3}


def still_frame(kind: str, size: tuple[int, int] = THUMB) -> np.ndarray:
    """The resting thumbnail: the engine's picture in the middle of the transition; for "none" (a
    plain cut) the two cards side by side with the cut between them."""
    if kind == "none":
        a, b = transition_frame("none", 0.0, size), transition_frame("none", 1.0, size)
        out = a.copy()
        out[:, size[0] // 2:] = b[:, size[0] // 2:]
        out[:, size[0] // 2 - 1: size[0] // 2 + 1] = 255
        return out
    return transition_frame(kind, STILL_PROGRESS.get(kind, 0.5), size)


def _icon(kind: str, progress: float | None = None) -> QIcon:
    from .render_worker import to_qimage

    rgb = still_frame(kind) if progress is None else transition_frame(kind, round(progress, 3))
    return QIcon(QPixmap.fromImage(to_qimage(rgb)))


class TransitionsPanel(QWidget):
    def __init__(self, actions, parent=None):
        super().__init__(parent)
        self.actions = actions
        self.list = LibraryList(icon_mode=True, icon=QSize(*THUMB))
        for kind, title in TRANSITIONS.items():
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setData(PAYLOAD, f"transition:{kind}")
            item.setToolTip("Removes the transition into the selected clip" if kind == "none" else
                            f"{title}: into the selected clip from the clip before it "
                            f"({seconds_label(DEFAULT_FRAMES, actions.document.project.fps)})")
            item.setIcon(_icon(kind))
            self.list.addItem(item)
        self.list.setUniformItemSizes(False)  # titles wrap to two lines ("Whip pan / right")
        self.list.setGridSize(QSize(THUMB[0] + 44, THUMB[1] + 40))
        self.list.itemDoubleClicked.connect(lambda it: self.apply(it.data(Qt.ItemDataRole.UserRole)))
        self.list.currentItemChanged.connect(lambda *_: self._restart())
        self.apply_button = QPushButton("Apply to selected clip")
        self.apply_button.clicked.connect(lambda: self.current() and self.apply(self.current()))
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("No transition into the selected clip")
        self.remove_button.clicked.connect(lambda: self.apply("none"))
        row = QHBoxLayout()
        row.addWidget(self.apply_button, 1)
        row.addWidget(self.remove_button)
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        hint = QLabel("A transition leads into the selected clip from the clip that ends where it starts. "
                      "Drag one onto a cut on the timeline, or double-click it.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.target_label)
        layout.addLayout(row)
        layout.addWidget(hint)
        document = actions.document
        document.selection_changed.connect(lambda _: self.sync(select=True))
        document.project_changed.connect(lambda _: self.sync())
        self.sync(select=True)
        self._step = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.animate)
        self.timer.start(70)

    def sync(self, select: bool = False) -> None:
        """Say what Apply acts on; a newly selected clip's own transition becomes the current one."""
        from studio.model import Clip

        from .layout_actions import item_name, previous_clip

        document = self.actions.document
        items = document.selected_items()
        clip = items[0] if len(items) == 1 and isinstance(items[0], Clip) else None
        if clip is None:
            self.target_label.setText("Select the clip a transition should lead into.")
            return
        if previous_clip(document.project.timeline, clip) is None and clip.transition == "none":
            self.target_label.setText(f"{item_name(clip)} has no clip right before it: nothing to transition from.")
            return
        now = TRANSITIONS.get(clip.transition, clip.transition)
        length = f" ({seconds_label(clip.transition_frames, document.project.fps)})" if clip.transition != "none" else ""
        self.target_label.setText(f"Into {item_name(clip)}: {now}{length}")
        if select and clip.transition != "none" and clip.transition in TRANSITIONS:
            row = list(TRANSITIONS).index(clip.transition)
            if row != self.list.currentRow():
                self.list.setCurrentRow(row)

    def current(self) -> str | None:
        it = self.list.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def apply(self, kind: str) -> bool:
        return self.actions.layers.set_transition(kind)

    def _restart(self) -> None:
        for i in range(self.list.count()):  # the others rest at their middle frame
            item = self.list.item(i)
            if item is not self.list.currentItem() and item.data(Qt.ItemDataRole.UserRole + 2):
                item.setIcon(_icon(item.data(Qt.ItemDataRole.UserRole)))
                item.setData(Qt.ItemDataRole.UserRole + 2, False)
        self._step = 0

    def animate(self) -> None:
        """Plays the current transition A -> B, holding a moment on each card."""
        item = self.list.currentItem()
        if item is None or not self.isVisible():
            return
        hold = 4
        cycle = ANIMATION_STEPS + 2 * hold
        step = self._step % cycle
        self._step += 1
        progress = min(1.0, max(0.0, (step - hold) / (ANIMATION_STEPS - 1)))
        progress = min(max(progress, 0.02), 0.98)
        item.setIcon(_icon(item.data(Qt.ItemDataRole.UserRole), progress))
        item.setData(Qt.ItemDataRole.UserRole + 2, True)

    def shutdown(self) -> None:
        self.timer.stop()
