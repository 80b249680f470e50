"""The AR accessory picker is a thumbnail grid (accessories first, no two entries named alike) in
the inspector and in Record mode."""
from studio.ui.sticker_picker import StickerPicker, sticker_entries


def test_entries_are_distinct_with_accessories_first():
    entries = sticker_entries()
    titles = [t for _, t, _ in entries]
    assert len(titles) == len(set(titles))                       # "Heart eyes" is not listed twice alike
    flags = [ar for _, _, ar in entries]
    assert flags == sorted(flags, reverse=True) and any(flags)   # accessories first


def test_inspector_face_sticker_param_is_a_grid_and_a_pick_is_one_undo_step(window, qtbot):
    doc = window.document
    inspector = window.inspector
    assert inspector.add_effect("clip-1", "face_sticker")
    doc.select(["clip-1"])
    picker = inspector.effect_editors[-1]["sticker"].widget
    assert isinstance(picker, StickerPicker) and picker.text() == picker.titles["ar_sunglasses"]
    picker.menu().aboutToShow.emit()                              # the grid gets its thumbnails
    item = next(picker.grid.item(i) for i in range(picker.grid.count())
                if picker.grid.item(i).data(256) == "ar_heart_eyes")
    assert not item.icon().isNull()
    picker.search.setText("heart")
    visible = [picker.grid.item(i).text() for i in range(picker.grid.count()) if not picker.grid.item(i).isHidden()]
    assert visible and all("heart" in t.lower() for t in visible)
    picker.grid.itemClicked.emit(item)
    clip = doc.project.timeline.get("clip-1")
    assert clip.effects[-1].params["sticker"] == "ar_heart_eyes"
    assert doc.undo_stack.undoText().startswith("Change sticker of “Face sticker”")


def test_record_mode_accessory_grid_turns_the_face_sticker_on(window):
    panel = window.record_panel
    panel.accessory_picker.chosen.emit("ar_heart_eyes")
    assert "face_sticker" in panel.effect_ids
    [ref] = [r for r in panel._effect_refs() if r.id == "face_sticker"]
    assert ref.params == {"sticker": "ar_heart_eyes"}
    assert panel.accessory_picker.value() == "ar_heart_eyes"
