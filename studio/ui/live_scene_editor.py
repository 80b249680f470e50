"""Live mode's scene side: the scene list (add, duplicate, rename, delete; a click picks the scene
to show, or puts it on air while live) and the editor of the picked scene in three tabs — Camera
(effects, AR accessory, look), Overlays (text, sticker, image/logo, clock, countdown) and Second
source (none / video file / camera / screen, in full / pip / split).

Every change is one undo step on the project's history: the new `LiveSettings` comes from a pure
function in studio.model.live_edits and goes through `document.replace` (typing into one field merges into one
step, as property edits do). The widgets only ever show `project.live`; `refresh` re-reads it after
any change, undo included."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTime, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QPushButton,
                               QSpinBox, QTabWidget, QTimeEdit, QToolButton, QVBoxLayout, QWidget)

from studio.effects.registry import default_registry
from studio.model import live_edits as le
from studio.model.live_scene import LiveScene, SecondSource

from .thumbnails import add_live_effects, add_looks

ICON = (40, 54)
PICTURES = "Pictures (*.png *.jpg *.jpeg *.webp)"
SOURCE_CHOICES = (("None", None), ("Video file", "file"), ("Camera", "camera"), ("Screen", "screen"))
# (title, layout, what it does); short titles keep the column narrow enough for a 1080p screen at 200 %
LAYOUT_CHOICES = (("Full", "full", "The camera alone, full frame"),
                  ("In a corner", "pip", "The second source in a corner over the camera (picture in picture)"),
                  ("Split", "split", "The camera and the second source side by side (top and bottom)"))
OVERLAY_MENU = (("Text", "text"), ("Sticker", "sticker"), ("Image / logo…", "image"), ("Clock", "clock"),
                ("Countdown", "countdown"))


def push_live(document, text: str, live, merge_key=None) -> bool:
    """One undo step that gives the project `live`."""
    project = document.project
    return document.replace(text, dataclasses.replace(project, live=live), merge_key, timed=merge_key is not None)


def _icon_grid(multi: bool) -> QListWidget:
    grid = QListWidget()
    grid.setViewMode(QListWidget.ViewMode.IconMode)
    grid.setIconSize(QSize(*ICON))
    grid.setGridSize(QSize(84, ICON[1] + 2 * grid.fontMetrics().height() + 10))
    grid.setTextElideMode(Qt.TextElideMode.ElideNone)
    grid.setResizeMode(QListWidget.ResizeMode.Adjust)
    grid.setMovement(QListWidget.Movement.Static)
    grid.setWordWrap(True)
    grid.setSelectionMode(QListWidget.SelectionMode.MultiSelection if multi
                          else QListWidget.SelectionMode.SingleSelection)
    return grid


class SceneList(QWidget):
    """The scenes, in order. `picked(scene_id)` when the creator clicks one."""

    picked = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.list = QListWidget()
        self.list.setObjectName("liveScenes")
        self.list.itemClicked.connect(lambda it: self.picked.emit(it.data(Qt.ItemDataRole.UserRole)))
        self.list.itemDoubleClicked.connect(lambda _: self.rename())
        self.list.setMaximumHeight(110)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        made = []
        for text, tip, slot in (("+ Add", "Add a scene: the camera alone, ready for overlays", self.add),
                                ("Duplicate", "A copy of this scene to change", self.duplicate),
                                ("Rename…", "Rename this scene (or double-click it)", self.rename),
                                ("Delete", "Delete this scene", self.delete)):
            b = QToolButton()  # compact: four fit a narrow column
            b.setText(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, slot=slot: slot())
            buttons.addWidget(b)
            made.append(b)
        buttons.addStretch(1)
        self.delete_button = made[-1]
        title = QLabel("Scenes")
        title.setObjectName("panelTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.current = ""
        self.on_air = ""

    @property
    def live(self):
        return le.live_of(self.document.project)

    def refresh(self, current: str, on_air: str = "") -> None:
        self.current, self.on_air = current, on_air
        self.list.clear()
        for scene in self.live.scenes:
            text = scene.name or scene.id
            item = QListWidgetItem(f"●  {text}   ON AIR" if scene.id == on_air else text)
            item.setData(Qt.ItemDataRole.UserRole, scene.id)
            self.list.addItem(item)
            if scene.id == current:
                self.list.setCurrentItem(item)
        self.delete_button.setEnabled(len(self.live.scenes) > 1)

    def add(self) -> str:
        live, scene_id = le.add_scene(self.live)
        push_live(self.document, "Add scene", live)
        self.picked.emit(scene_id)
        return scene_id

    def duplicate(self) -> str:
        live, scene_id = le.duplicate_scene(self.live, self.current)
        push_live(self.document, "Duplicate scene", live)
        self.picked.emit(scene_id)
        return scene_id

    def rename(self, name: str | None = None) -> None:
        scene = self.live.scene(self.current)
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename scene", "Scene name", text=scene.name)
            if not ok:
                return
        push_live(self.document, "Rename scene", le.rename_scene(self.live, self.current, name))

    def delete(self) -> None:
        try:
            live = le.delete_scene(self.live, self.current)
        except le.LiveEditError as exc:
            self.document.error.emit(str(exc))
            return
        push_live(self.document, "Delete scene", live)
        self.picked.emit(live.active_scene if self.current not in {s.id for s in live.scenes} else self.current)


class SceneEditor(QTabWidget):
    """The picked scene's Camera, Overlays and Second source tabs."""

    def __init__(self, document, thumbnails, parent=None):
        super().__init__(parent)
        self.document, self.thumbnails = document, thumbnails
        self.scene_id = ""
        self._loading = False
        self.addTab(self._camera_tab(), "Camera")
        self.addTab(self._overlays_tab(), "Overlays")
        self.addTab(self._second_tab(), "Second source")
        thumbnails.ready.connect(lambda _: self._update_icons())
        self._update_icons()

    @property
    def live(self):
        return le.live_of(self.document.project)

    @property
    def scene(self) -> LiveScene:
        return self.live.scene(self.scene_id)

    def _push(self, text: str, live, merge_key=None) -> None:
        if not self._loading:
            push_live(self.document, text, live, merge_key)

    # -- camera ----------------------------------------------------------------------------------
    def _camera_tab(self) -> QWidget:
        from .sticker_picker import StickerPicker

        page = QWidget()
        self.effects_list = _icon_grid(multi=True)
        add_live_effects(self.effects_list, default_registry())
        self.effects_list.itemSelectionChanged.connect(self._effects_changed)
        self.accessory_picker = StickerPicker()
        self.accessory_picker.setToolTip("The sticker the Face sticker effect puts on the face")
        self.accessory_picker.chosen.connect(self._accessory_chosen)
        self.looks_list = _icon_grid(multi=False)
        add_looks(self.looks_list)
        self.looks_list.currentItemChanged.connect(self._look_changed)
        layout = QVBoxLayout(page)
        for title, widget, stretch in (("Effects", self.effects_list, 3), ("AR accessory", self.accessory_picker, 0),
                                       ("Look", self.looks_list, 2)):
            t = QLabel(title)
            t.setObjectName("panelTitle")
            layout.addWidget(t)
            layout.addWidget(widget, stretch)
        return page

    def _effects_changed(self) -> None:
        ids = [it.data(Qt.ItemDataRole.UserRole) for it in self.effects_list.selectedItems()]
        self._push("Change live effects", le.set_effects(self.live, self.scene_id, ids, self.accessory_picker.value()))

    def _accessory_chosen(self, sticker_id: str) -> None:
        """Picking an accessory wears it: the face sticker is switched on with it."""
        self.accessory_picker.set_value(sticker_id)
        ids = [r.id for r in self.scene.camera_effects]
        if "face_sticker" not in ids:
            ids.append("face_sticker")
        self._push("Change AR accessory", le.set_effects(self.live, self.scene_id, ids, sticker_id))

    def _look_changed(self, current, _previous) -> None:
        look = current.data(Qt.ItemDataRole.UserRole) if current else None
        self._push("Change live look", le.update_scene(self.live, self.scene_id, look=look))

    def _update_icons(self) -> None:
        for i in range(self.effects_list.count()):
            it = self.effects_list.item(i)
            image = self.thumbnails.effect(it.data(Qt.ItemDataRole.UserRole), ICON)
            if image and it.icon().isNull():
                it.setIcon(QIcon(QPixmap.fromImage(image)))
        sample = self.thumbnails.sample(ICON)
        if sample and self.looks_list.item(0).icon().isNull():
            self.looks_list.item(0).setIcon(QIcon(QPixmap.fromImage(sample)))
        for i in range(1, self.looks_list.count()):
            it = self.looks_list.item(i)
            image = self.thumbnails.look(it.data(Qt.ItemDataRole.UserRole), ICON)
            if image and it.icon().isNull():
                it.setIcon(QIcon(QPixmap.fromImage(image)))

    # -- overlays --------------------------------------------------------------------------------
    def _overlays_tab(self) -> QWidget:
        from .sticker_picker import StickerPicker

        page = QWidget()
        self.overlay_list = QListWidget()
        self.overlay_list.setMaximumHeight(130)
        self.overlay_list.currentRowChanged.connect(lambda _: self._show_overlay())
        add = QToolButton()
        add.setText("+ Add overlay")
        add.setObjectName("chip")
        add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(add)
        for title, kind in OVERLAY_MENU:
            menu.addAction(title, lambda k=kind: self.add_overlay(k))
        add.setMenu(menu)
        self.remove_overlay_button = QPushButton("Remove")
        self.remove_overlay_button.clicked.connect(self.remove_overlay)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        row.addWidget(self.remove_overlay_button)

        self.overlay_form = QFormLayout()
        self.overlay_text = QLineEdit()
        self.overlay_text.textEdited.connect(lambda t: self._overlay_changed("text", t, "Edit overlay text"))
        self.overlay_sticker = StickerPicker()
        self.overlay_sticker.chosen.connect(lambda s: self._overlay_changed("source", s, "Change sticker"))
        self.overlay_image = QPushButton("Choose a picture…")
        self.overlay_image.clicked.connect(self._choose_image)
        self.overlay_x, self.overlay_y, self.overlay_width = (self._percent() for _ in range(3))
        self.overlay_x.valueChanged.connect(lambda v: self._overlay_changed("x", v / 100, "Move overlay"))
        self.overlay_y.valueChanged.connect(lambda v: self._overlay_changed("y", v / 100, "Move overlay"))
        self.overlay_width.setRange(1, 400)
        self.overlay_width.valueChanged.connect(lambda v: self._overlay_changed("width", v / 100, "Resize overlay"))
        self.overlay_size = QDoubleSpinBox()
        self.overlay_size.setRange(0.2, 5.0)
        self.overlay_size.setSingleStep(0.1)
        self.overlay_size.setSuffix(" ×")
        self.overlay_size.valueChanged.connect(lambda v: self._overlay_changed("size", v, "Change text size"))
        self.overlay_target = QTimeEdit()
        self.overlay_target.setDisplayFormat("HH:mm")
        self.overlay_target.timeChanged.connect(
            lambda t: self._overlay_changed("target", t.hour() * 3600 + t.minute() * 60, "Change countdown"))
        self.overlay_text_label = QLabel("Text")
        for label, widget in ((self.overlay_text_label, self.overlay_text), ("Sticker", self.overlay_sticker),
                              ("Picture", self.overlay_image), ("Across (%)", self.overlay_x),
                              ("Down (%)", self.overlay_y), ("Width (%)", self.overlay_width),
                              ("Text size", self.overlay_size), ("Counts down to", self.overlay_target)):
            self.overlay_form.addRow(label, widget)
        self.overlay_hint = QLabel("Add text, a sticker, your logo, a clock or a countdown over the picture.")
        self.overlay_hint.setObjectName("hint")
        self.overlay_hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.overlay_list)
        layout.addWidget(self.overlay_hint)
        layout.addLayout(self.overlay_form)
        layout.addStretch(1)
        return page

    @staticmethod
    def _percent() -> QSpinBox:
        box = QSpinBox()
        box.setRange(-100, 200)  # a little off the picture is allowed (a half-hidden sticker)
        box.setSuffix(" %")
        return box

    def add_overlay(self, kind: str, source: str | None = None) -> bool:
        overlay = le.OVERLAY_DEFAULTS[kind]
        if kind == "image":
            if source is None:
                source, _ = QFileDialog.getOpenFileName(self, "Picture (logo) to show", "", PICTURES)
            if not source:
                return False
            overlay = dataclasses.replace(overlay, source=str(Path(source).resolve()))
        self._push(f"Add {kind} overlay", le.add_overlay(self.live, self.scene_id, overlay))
        self.overlay_list.setCurrentRow(len(self.scene.overlays) - 1)
        return True

    def remove_overlay(self) -> None:
        row = self.overlay_list.currentRow()
        if 0 <= row < len(self.scene.overlays):
            self._push("Remove overlay", le.remove_overlay(self.live, self.scene_id, row))

    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Picture (logo) to show", "", PICTURES)
        if path:
            self._overlay_changed("source", str(Path(path).resolve()), "Change picture")

    def _overlay_changed(self, field: str, value, text: str) -> None:
        row = self.overlay_list.currentRow()
        if self._loading or not 0 <= row < len(self.scene.overlays):
            return
        self._push(text, le.update_overlay(self.live, self.scene_id, row, **{field: value}),
                   merge_key=("live-overlay", self.scene_id, row, field))

    def _show_overlay(self) -> None:
        """The form shows the fields the picked overlay's kind has."""
        overlays = self.scene.overlays if self.scene_id else ()
        row = self.overlay_list.currentRow()
        overlay = overlays[row] if 0 <= row < len(overlays) else None
        kind = overlay.kind if overlay else None
        shown = {"text": kind in ("text", "clock", "countdown"), "sticker": kind == "sticker",
                 "image": kind == "image", "place": kind is not None,
                 "size": kind in ("text", "clock", "countdown"), "target": kind == "countdown"}
        rows = ("text", "sticker", "image", "place", "place", "place", "size", "target")
        for index, key in enumerate(rows):
            self.overlay_form.setRowVisible(index, shown[key])
        self.remove_overlay_button.setEnabled(overlay is not None)
        self.overlay_hint.setVisible(not overlays)
        if overlay is None:
            return
        was, self._loading = self._loading, True
        try:
            self.overlay_text_label.setText({"clock": "Format", "countdown": "Label ({} = time)"}.get(kind, "Text"))
            self.overlay_text.setPlaceholderText("%H:%M" if kind == "clock" else "")
            if self.overlay_text.text() != overlay.text:
                self.overlay_text.setText(overlay.text)
            if kind == "sticker":
                self.overlay_sticker.set_value(overlay.source)
            if kind == "image":
                self.overlay_image.setText(Path(overlay.source).name or "Choose a picture…")
                self.overlay_image.setToolTip(overlay.source)
            self.overlay_x.setValue(round(overlay.x * 100))
            self.overlay_y.setValue(round(overlay.y * 100))
            self.overlay_width.setValue(round(overlay.width * 100))
            self.overlay_size.setValue(overlay.size)
            self.overlay_target.setTime(QTime(overlay.target // 3600, overlay.target % 3600 // 60))
        finally:
            self._loading = was

    # -- second source ---------------------------------------------------------------------------
    def _second_tab(self) -> QWidget:
        page = QWidget()
        self.source_kind = QComboBox()
        for title, kind in SOURCE_CHOICES:
            self.source_kind.addItem(title, kind)
        self.source_kind.activated.connect(lambda _: self._source_kind_chosen())
        self.source_path = QLineEdit()
        self.source_path.editingFinished.connect(self._source_path_edited)
        self.source_browse = QPushButton("Choose…")
        self.source_browse.clicked.connect(self._browse_source)
        path_row = QHBoxLayout()
        path_row.addWidget(self.source_path, 1)
        path_row.addWidget(self.source_browse)
        self.layout_group = QButtonGroup(page)
        layouts = QHBoxLayout()
        layouts.setSpacing(2)
        for index, (title, value, tip) in enumerate(LAYOUT_CHOICES):
            b = QPushButton(title)
            b.setToolTip(tip)
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(title) + 18)  # not the style's wide minimum
            b.setCheckable(True)
            b.setObjectName("segment")
            b.setProperty("value", value)
            self.layout_group.addButton(b, index)
            layouts.addWidget(b)
        self.layout_group.idClicked.connect(self._layout_chosen)
        self.source_hint = QLabel()
        self.source_hint.setObjectName("hint")
        self.source_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Source", self.source_kind)
        form.addRow("From", path_row)
        form.addRow("Layout", layouts)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.source_hint)
        layout.addStretch(1)
        return page

    def set_second_source(self, source: SecondSource | None) -> None:
        self._push("Change second source", le.set_second_source(self.live, self.scene_id, source))

    def _source_kind_chosen(self) -> None:
        kind = self.source_kind.currentData()
        if kind is None:
            self.set_second_source(None)
        elif kind == "file":
            self._browse_source()
        elif kind == "camera":
            self.set_second_source(SecondSource("camera", self.source_path.text().strip() or "1"))
        else:
            self.set_second_source(SecondSource("screen", ""))
        self._show_second()

    def _browse_source(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Video to show beside the camera", "",
                                              "Video (*.mp4 *.mkv *.mov *.webm)")
        if path:
            self.set_second_source(SecondSource("file", str(Path(path).resolve())))
        self._show_second()

    def _source_path_edited(self) -> None:
        source = self.scene.second_source
        text = self.source_path.text().strip()
        if source is None or text == source.path_or_index or (source.kind == "camera" and not text):
            return
        self.set_second_source(SecondSource(source.kind, text))

    def _layout_chosen(self, index: int) -> None:
        self._push("Change scene layout", le.update_scene(self.live, self.scene_id, layout=LAYOUT_CHOICES[index][1]))

    def _show_second(self) -> None:
        source = self.scene.second_source
        kind = source.kind if source else None
        self.source_kind.setCurrentIndex(self.source_kind.findData(kind))
        self.source_path.setEnabled(kind is not None)
        self.source_browse.setVisible(kind == "file")
        self.source_path.setReadOnly(kind == "file")
        self.source_path.setText(source.path_or_index if source else "")
        self.source_path.setPlaceholderText({"camera": "0, 1 or /dev/video2", "screen": "this screen ($DISPLAY)"}
                                            .get(kind, ""))
        for b in self.layout_group.buttons():
            b.setEnabled(kind is not None)
            b.setChecked(b.property("value") == self.scene.layout)
        self.source_hint.setText({None: "Show a video, a second camera or your screen next to the camera "
                                        "(picture in picture, or split).",
                                  "file": "The video plays round and round.",
                                  "camera": "A second camera by its number or device.",
                                  "screen": "What this screen shows (X11), e.g. a game or slides."}[kind])

    # -- showing a scene -------------------------------------------------------------------------
    def show_scene(self, scene_id: str) -> None:
        """Show `scene_id` as it is now in the project (after an edit, an undo or a pick)."""
        self.scene_id = scene_id
        scene = self.scene
        self._loading = True
        try:
            ids = {r.id for r in scene.camera_effects}
            for i in range(self.effects_list.count()):
                it = self.effects_list.item(i)
                it.setSelected(it.data(Qt.ItemDataRole.UserRole) in ids)
            self.accessory_picker.set_value(le.accessory_of(scene))
            for i in range(self.looks_list.count()):
                if self.looks_list.item(i).data(Qt.ItemDataRole.UserRole) == scene.look:
                    self.looks_list.setCurrentRow(i)
            row = self.overlay_list.currentRow()
            self.overlay_list.clear()
            for overlay in scene.overlays:
                self.overlay_list.addItem(le.overlay_title(overlay))
            if scene.overlays:
                self.overlay_list.setCurrentRow(min(max(row, 0), len(scene.overlays) - 1))
            self._show_second()
        finally:
            self._loading = False
        self._show_overlay()
