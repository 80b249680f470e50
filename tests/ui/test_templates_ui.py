"""The template gallery, a swapped slot and Cut to beat, through the window."""
from pathlib import Path

import pytest

from studio.model import Clip


@pytest.fixture
def media(tmp_path, clip_file):
    return [clip_file(tmp_path / f"m{k}.mp4", seconds=3.0, size=(180, 320)) for k in range(3)]


def test_gallery_fills_a_template_and_opens_it_in_edit_mode(window, media, qtbot):
    from studio.templates import list_templates

    gallery = window.open_templates()
    ids = [gallery.grid.item(i).data(256) for i in range(gallery.grid.count())]
    assert len(ids) >= 10 and set(ids) == {t.id for t in list_templates()}
    assert all(not gallery.grid.item(i).icon().isNull() for i in range(gallery.grid.count()))  # previews
    row = ids.index("tutorial-3-steps")
    gallery.grid.setCurrentRow(row)
    assert gallery.movie is not None and gallery.movie.frameCount() > 10  # the preview plays
    gallery.play(ids[0])  # hovering another one plays that one
    assert gallery.movie.fileName().endswith(f"{ids[0]}.webp")
    template = gallery.templates["tutorial-3-steps"]
    assert set(gallery.text_fields) == {t.id for t in template.texts}
    first_text = template.texts[0].id
    gallery.text_fields[first_text].setText("Fold the towel")
    assert gallery.use_template([str(m) for m in media])
    qtbot.waitUntil(lambda: window.document.project.name == template.title, timeout=60000)
    project = window.document.project
    assert window.mode == "edit" and window.document.path is None
    slots = [i for i in project.timeline.all_items() if isinstance(i, Clip) and i.id.startswith("slot-")]
    assert {c.id for c in slots} == {s.id for s in template.slots}
    assert {Path(c.source).name for c in slots} <= {m.name for m in media}
    for c in slots:  # each slot keeps the template's timing
        t = template.slot_clip(c.id)
        assert (c.start, c.duration) == (t.start, t.duration)
    assert project.timeline.get(first_text).content == "Fold the towel"


def test_a_clip_dropped_on_a_slot_swaps_it_and_keeps_the_timing(window, media, qtbot):
    from studio.templates import apply_template, get_template

    template = get_template("beat-montage")
    window.open_filled_template(apply_template(template, [str(media[0])]))
    slot = template.slots[1].id
    before = window.document.project.timeline.get(slot)
    track = next(i for i, t in enumerate(window.document.project.timeline.tracks) if before in t.items)
    assert window.actions_.drop([media[2]], before.start + before.duration // 2, track)
    after = window.document.project.timeline.get(slot)
    assert Path(after.source).name == media[2].name
    assert (after.start, after.duration, after.effects) == (before.start, before.duration, before.effects)
    assert window.document.undo_stack.undoText().startswith("Put m2.mp4 in slot")
    window.document.undo_stack.undo()
    assert window.document.project.timeline.get(slot).source == before.source


def test_cut_to_beat_recuts_the_main_track_on_the_beat(window, media, qtbot):
    from studio.library.sounds import get_sound

    for m in media:
        assert window.actions_.add_media(m)
    dialog = window.open_cut_to_beat()
    index = dialog.sound.findData("funk-strut")
    dialog.sound.setCurrentIndex(index)
    dialog.every.setCurrentIndex(dialog.every.findData(2))
    before = window.document.project
    assert dialog.run()
    qtbot.waitUntil(lambda: window.document.project is not before or bool(dialog.error), timeout=60000)
    assert not dialog.error
    project = window.document.project
    fps = float(project.fps)
    beats = get_sound("funk-strut").beats
    main = project.timeline.tracks[0].items
    cuts = [c.start / fps for c in main[1:]]
    assert len(cuts) >= 2
    # every cut within one frame of a beat of the sound (placed from its start), 2 beats apart
    on = [min(range(len(beats)), key=lambda j: abs(beats[j] - cut)) for cut in cuts]
    assert all(abs(beats[j] - cut) <= 1 / fps + 1e-6 for j, cut in zip(on, cuts)), (cuts, [beats[j] for j in on])
    assert {b - a for a, b in zip(on, on[1:])} == {2}
    assert window.document.undo_stack.undoText() == "Cut to beat (every 2 beats)"
    window.document.undo_stack.undo()
    assert window.document.project == before


def test_gallery_searches_and_keeps_favourites_and_recents(window, media, qtbot):
    gallery = window.open_templates()
    browser = gallery.browser
    everything = browser.visible_ids()
    browser.search.setText("tutorial")
    assert browser.visible_ids() == [i for i in everything if "tutorial" in
                                     (gallery.templates[i].title + gallery.templates[i].description + i).lower()]
    assert "tutorial-3-steps" in browser.visible_ids() and len(browser.visible_ids()) < len(everything)
    browser.search.clear()
    # ★ from the right-click menu
    row = everything.index("tutorial-3-steps")
    item = gallery.grid.item(row)
    [fav] = [a for a in browser.menu_for(item).actions() if "favourites" in a.text()]
    fav.trigger()
    assert item.text().startswith("★ ")
    browser.show_combo.setCurrentIndex(browser.show_combo.findData("favourites"))
    assert browser.visible_ids() == ["tutorial-3-steps"]
    # a used template is under Recent
    browser.show_combo.setCurrentIndex(browser.show_combo.findData("all"))
    other = everything[0] if everything[0] != "tutorial-3-steps" else everything[1]
    gallery.grid.setCurrentRow(everything.index(other))
    assert gallery.use_template([str(m) for m in media])
    qtbot.waitUntil(lambda: gallery.result_project is not None, timeout=60000)
    again = window.open_templates()
    again.browser.show_combo.setCurrentIndex(again.browser.show_combo.findData("recent"))
    assert again.browser.visible_ids() == [other]
    again.browser.show_combo.setCurrentIndex(again.browser.show_combo.findData("favourites"))
    assert again.browser.visible_ids() == ["tutorial-3-steps"]
    again.close()
