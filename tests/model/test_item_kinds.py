"""Item kinds as data: a new kind is its dataclass, its declared fields and a line in each layer's
registry. The toy 'shape' kind below (a coloured rectangle on an overlay track) is registered here,
at test time, without a change to any Studio module, and then saves and loads, refuses bad
values, shows in an export and gets its editors in the inspector and its bar on the timeline."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest

from studio.model import (EditError, Field, ItemKind, Project, ProjectError, TextItem, Timeline, Track, edits,
                          item_kinds, kind_of, load_project, project_from_dict, project_to_dict, save_project)
from studio.model.fields import SPAN
from studio.model.kinds import ITEM_KINDS, KIND_OF_ITEM, find_kind

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # for the window test, before Qt is first imported


@dataclass(frozen=True)
class ShapeItem:
    """A filled rectangle: centre x, y and size w, h as fractions of the canvas."""
    id: str
    start: int
    duration: int
    x: float = 0.5
    y: float = 0.5
    w: float = 0.5
    h: float = 0.25
    colour: str = "#ff0000"

    @property
    def end(self) -> int:
        return self.start + self.duration


SHAPE = ItemKind("shape", ShapeItem, "overlay", (
    *SPAN,
    Field("colour", "color", title="Colour"),
    Field("x", "float", title="X", min=-10.0, max=10.0, soft_min=-1, soft_max=2, step=0.01),
    Field("y", "float", title="Y", min=-10.0, max=10.0, soft_min=-1, soft_max=2, step=0.01),
    Field("w", "float", title="Width", positive=True, min=0.0, max=1.0, step=0.05),
    Field("h", "float", title="Height", positive=True, min=0.0, max=1.0, step=0.05),
))


def rasterise_shape(item: ShapeItem, local: int, frame):
    from studio.render.canvas import make_sprite
    from studio.render.overlays import Placed

    w, h = max(2, round(item.w * frame.width)), max(2, round(item.h * frame.height))

    def build():
        rgba = np.full((h, w, 4), 255, np.uint8)
        rgba[..., :3] = [int(item.colour[i:i + 2], 16) for i in (1, 3, 5)]
        return make_sprite(rgba, frame.fmt)

    sprite = frame.cache.sprite(("shape", w, h, item.colour, frame.fmt), build)
    return Placed(sprite, round(item.x * frame.width - w / 2), round(item.y * frame.height - h / 2), 1.0)


@pytest.fixture
def shape_kind():
    """The shape kind in the model and render registries for one test, then gone again."""
    from studio.render.kinds import RENDER_KINDS, RenderKind

    with ITEM_KINDS.registered(SHAPE), RENDER_KINDS.registered(RenderKind("shape", rasterise=rasterise_shape)):
        yield SHAPE
    assert find_kind("shape") is None and RENDER_KINDS.get("shape") is None


def shape_project(**shape) -> Project:
    item = ShapeItem("shape-1", 0, 12, **shape)
    return Project(name="Shapes", width=270, height=480, fps=Fraction(30),
                   timeline=Timeline((Track("video", name="Video"), Track("overlay", (item,), name="Shapes"))))


# ---------------------------------------------------------------- the registry itself

def test_the_built_in_kinds_are_declared_once_and_in_order():
    assert [k.name for k in item_kinds()] == ["clip", "text", "sticker", "sound"]
    assert dict(KIND_OF_ITEM) == {k.cls: k.track for k in item_kinds()}
    assert kind_of(TextItem).title == "Text" and kind_of(TextItem).field("size").soft_max == 6
    # a name shared by several kinds (and the keyframes) obeys the same rules everywhere
    from studio.model.items import EFFECT_REF_FIELDS, KEYFRAME_FIELDS

    declared: dict[str, Field] = {}
    for fields in [k.fields for k in item_kinds()] + [KEYFRAME_FIELDS, EFFECT_REF_FIELDS]:
        for f in fields:
            rules = (f.type, f.min, f.max, f.positive, f.non_negative, f.choices)
            assert declared.setdefault(f.name, rules) == rules, f.name


def test_a_declaration_that_drifts_from_its_dataclass_is_refused():
    with pytest.raises(ValueError, match="undeclared: \\['h'\\]"):
        ItemKind("bad", ShapeItem, "overlay", tuple(f for f in SHAPE.fields if f.name != "h"))
    with pytest.raises(ValueError, match="'w' is declared int"):
        ItemKind("bad", ShapeItem, "overlay", tuple(Field("w", "int") if f.name == "w" else f for f in SHAPE.fields))
    with pytest.raises(ValueError, match="already registered"):
        ITEM_KINDS.register(dataclasses.replace(SHAPE, name="clip"))
    with pytest.raises(ValueError, match="built in"):
        ITEM_KINDS.unregister("text")


# ---------------------------------------------------------------- model: files and edits

def test_a_registered_kind_round_trips_through_a_project_file(shape_kind, tmp_path):
    project = shape_project(x=0.25, colour="#00ff7f")
    path = save_project(project, tmp_path / "shapes.studio")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["timeline"]["tracks"][1]["items"][0] == {
        "type": "shape", "id": "shape-1", "start": 0, "duration": 12, "x": 0.25, "y": 0.5, "w": 0.5, "h": 0.25,
        "colour": "#00ff7f"}
    loaded = load_project(path)
    assert loaded == project
    again = save_project(loaded, tmp_path / "again.studio")
    assert again.read_bytes() == path.read_bytes()
    # an edit places it on an overlay track, by its kind
    timeline = edits.add_item(Timeline(), ShapeItem("shape-2", 5, 10))
    assert [t.kind for t in timeline.tracks] == ["video", "overlay"]
    with pytest.raises(EditError, match="a overlay item cannot go on a video track"):
        edits.insert(Timeline(), ShapeItem("shape-3", 0, 10), 0)


def test_a_registered_kind_refuses_values_outside_its_declared_rules(shape_kind):
    data = project_to_dict(shape_project())
    item = data["timeline"]["tracks"][1]["items"][0]
    for name, value, problem in [("w", -0.5, "must be positive"), ("h", 1.5, "must be between 0 and 1"),
                                 ("x", 11.0, "must be between -10 and 10"), ("colour", "red", "must be a colour"),
                                 ("duration", 0, "must be positive"), ("w", "wide", "must be a number")]:
        bad = json.loads(json.dumps(data))
        bad["timeline"]["tracks"][1]["items"][0][name] = value
        with pytest.raises(ProjectError, match=f"items\\[0\\].{name}: {problem}"):
            project_from_dict(bad)
    assert item["type"] == "shape"
    timeline = shape_project().timeline
    with pytest.raises(EditError, match="shape-1: w must be between 0 and 1, got 2.0"):
        edits.set_property(timeline, "shape-1", "w", 2.0)
    assert edits.set_property(timeline, "shape-1", "colour", "#0000ff").get("shape-1").colour == "#0000ff"


def test_without_its_registration_a_kind_is_unknown_again(shape_kind):
    data = project_to_dict(shape_project())
    ITEM_KINDS.unregister("shape")
    try:
        with pytest.raises(ProjectError, match="type: must be one of clip, text, sticker, sound, got 'shape'"):
            project_from_dict(data)
    finally:
        ITEM_KINDS.register(SHAPE)


# ---------------------------------------------------------------- render: the export shows it

def test_a_registered_kind_renders_in_an_export(shape_kind, tmp_path, mediagen):
    from studio.render.export import ExportOptions, export_project

    project = shape_project(x=0.5, y=0.25, w=0.5, h=0.2, colour="#00c000")
    export_project(project, tmp_path / "shapes.mp4", ExportOptions(quality="draft", cover=False, sidecar=False,
                                                                     preflight=False))
    frame = mediagen.decode_frames(tmp_path / "shapes.mp4", [6])[6].astype(int)
    h, w = frame.shape[:2]  # the preset's 1080x1920: the shape is 540x384 around (540, 480)
    inside = frame[int(0.25 * h) - 150:int(0.25 * h) + 150, w // 2 - 220:w // 2 + 220].reshape(-1, 3).mean(axis=0)
    assert np.abs(inside - [0, 192, 0]).max() < 12, inside
    for y, x in [(int(0.25 * h), w // 8), (int(0.25 * h) + 260, w // 2), (int(0.75 * h), w // 2)]:
        assert frame[y, x].max() < 20, (y, x, frame[y, x])  # black canvas around it


# ---------------------------------------------------------------- window: inspector and timeline

def test_a_registered_kind_gets_inspector_editors_and_a_timeline_bar(shape_kind, qtbot):
    from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QPushButton

    from studio.ui.actions import EditActions
    from studio.ui.document import ProjectDocument
    from studio.ui.inspector import Inspector
    from studio.ui.kinds import UI_KINDS, UiKind, ui_kind

    make = lambda project, colour, start: ShapeItem(edits.new_id(project.timeline, "shape"), start, 15,  # noqa: E731
                                                    colour=colour)
    with UI_KINDS.registered(UiKind("shape", "#30a0a0", lambda item: f"■  {item.colour}", make=make)):
        document = ProjectDocument(shape_project())
        inspector = Inspector(document)
        qtbot.addWidget(inspector)
        document.select(["shape-1"])
        assert inspector.title.text().startswith("Shape   0:00")
        assert list(inspector.editors) == ["colour", "x", "y", "w", "h"]
        form = inspector.editors["x"][0].parentWidget().layout()
        assert isinstance(form, QFormLayout)
        labels = [form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())]
        assert labels == ["Colour", "X", "Y", "Width", "Height"]
        width = inspector.editors["w"][0]
        assert isinstance(width, QDoubleSpinBox)
        assert (width.minimum(), width.maximum(), width.singleStep()) == (0, 1, 0.05)
        colour = inspector.editors["colour"][0]
        assert isinstance(colour, QPushButton) and colour.text() == "#ff0000"
        # an editor change is one undoable set_property
        inspector.editors["x"][0].setValue(0.75)
        assert document.project.timeline.get("shape-1").x == 0.75
        assert document.undo_stack.undoText() == "Change X of the shape"
        # the timeline draws its bar from the window registry; a drop of "shape:<value>" makes one
        assert (ui_kind("shape").colour, ui_kind(document.project.timeline.get("shape-1")).label_of(
            document.project.timeline.get("shape-1"))) == ("#30a0a0", "■  #ff0000")
        assert EditActions(document).drop("shape:#112233", 20, 1)
        added = document.selected_items()[0]
        assert isinstance(added, ShapeItem) and (added.start, added.colour) == (20, "#112233")
        assert document.undo_stack.undoText() == "Add shape"
    assert UI_KINDS.get("shape") is None
