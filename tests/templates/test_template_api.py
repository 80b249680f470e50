"""The Qt-free template API the command line and the window share: apply, swap a slot, save a
project as a template, cut to the beat; photos get a slow zoom; errors are one line."""
from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import numpy as np
import pytest

from studio.library.errors import LibraryError
from studio.media.errors import MediaError
from studio.model import Clip, SoundItem, TextItem, load_project, save_project
from studio.quick import build_quick_project
from studio.render.compositor import render_frame
from studio.templates import (TemplateError, apply_template, cut_to_beat, get_template, list_templates,
                              save_template, swap_slot, template_from_dict, template_to_dict)
from template_media import library_beats, write_moving_clip, write_still


def _clips(project) -> list[Clip]:
    return sorted(project.timeline.tracks[0].items, key=lambda c: c.start)


def test_a_template_file_reads_back_as_it_was_written():
    for template in list_templates():
        again = template_from_dict(template_to_dict(template), path=template.path)
        assert dataclasses.replace(again, preview=template.preview) == template


def test_apply_keeps_the_template_and_fills_its_slots(template_media):
    template = get_template("before-after")
    project = apply_template(template, [str(template_media[0]), str(template_media[1])],
                             {"before": "my room, 2023", "after": ""})
    before, after = _clips(project)
    slot_before, slot_after = template.slot_clip("slot-1"), template.slot_clip("slot-2")
    assert (before.id, before.start, before.duration) == ("slot-1", slot_before.start, slot_before.duration)
    assert (after.id, after.start, after.duration) == ("slot-2", slot_after.start, slot_after.duration)
    assert before.source == str(template_media[0].resolve()) and before.source_frames == 150
    assert before.effects == slot_before.effects  # the 'faded' look stays with the slot
    # the photo gets the slow zoom before the slot's own look
    assert after.source == str(template_media[1].resolve()) and after.source_frames is None
    assert [e.id for e in after.effects] == ["ken_burns", "look"]
    assert after.effects[0].params["seconds"] == pytest.approx(after.duration / 30, abs=0.01)
    texts = {i.id: i.content for i in project.timeline.all_items() if isinstance(i, TextItem)}
    assert texts == {"before": "my room, 2023"}  # an empty text removes its item
    sounds = [i for i in project.timeline.all_items() if isinstance(i, SoundItem)]
    assert [s.source for s in sounds] == ["funk-strut"] and sounds[0].start == 0


def test_fewer_media_than_slots_cycle_with_different_parts(template_media, mediagen, tmp_path):
    template = get_template("countdown-top5")  # 6 slots of 1.7 s
    long_clip = write_moving_clip(mediagen, tmp_path / "long.mp4", 3, seconds=8.0, audio=None)
    photo = str(template_media[1])
    clips = _clips(apply_template(template, [str(long_clip), photo]))
    assert [c.source for c in clips] == [str(p.resolve()) for p in (long_clip, template_media[1]) * 3]
    video = [(c.source_in, c.source_in + c.duration) for c in clips if c.source_frames]
    assert all(a[1] <= b[0] for a, b in zip(video, video[1:]))  # three different parts, in the clip's order
    zooms = [c.effects[0].params["direction"] for c in clips if c.source_frames is None]
    assert zooms == ["in", "out", "in"]  # the photo's three uses do not look alike
    # a 5 s clip cannot give three parts of 1.7 s side by side: they overlap, but start apart
    short = [c for c in _clips(apply_template(template, [str(template_media[0]), photo])) if c.source_frames]
    starts = sorted(c.source_in for c in short)
    assert len(short) == 3 and min(b - a for a, b in zip(starts, starts[1:])) >= 15, starts


def test_a_photo_slowly_zooms_in(tmp_path):
    photo = write_still(tmp_path / "photo.png", 2)
    project = apply_template(get_template("quote"), [str(photo)], {"quote": "", "author": ""})
    slot = _clips(project)[0]
    first = render_frame(project, 0, (180, 320)).astype(float)
    last = render_frame(project, slot.end - 1, (180, 320)).astype(float)
    zoom = 1 + slot.effects[0].params["amount"]
    h, w = first.shape[:2]
    ch, cw = round(h / zoom), round(w / zoom)
    import cv2
    centre = first[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]
    zoomed = cv2.resize(centre, (w, h), interpolation=cv2.INTER_LINEAR)
    # the last frame is the first one enlarged by the zoom, not the first one again
    assert np.abs(last - zoomed).mean() < 0.5 * np.abs(last - first).mean()
    assert np.abs(last - first).mean() > 3


def test_text_slots_and_media_are_checked_in_one_line(template_media, tmp_path):
    template = get_template("recipe")
    with pytest.raises(TemplateError, match=r"^template 'recipe' has no text slot 'titel' \(its text slots: title, "):
        apply_template(template, [str(template_media[0])], {"titel": "x"})
    with pytest.raises(MediaError, match=r"^missing.mp4: file not found$"):
        apply_template(template, [str(tmp_path / "missing.mp4")])
    (tmp_path / "notes.mp4").write_text("not a video")
    with pytest.raises(MediaError, match=r"^notes.mp4: "):
        apply_template(template, [str(tmp_path / "notes.mp4")])
    with pytest.raises(TemplateError, match="at least one photo or video"):
        apply_template(template, [])
    with pytest.raises(TemplateError, match=r"^unknown template 'nope'; try `studio template list`$"):
        get_template("nope")


def test_swap_slot_keeps_timing_and_effects(template_media):
    template = get_template("beat-montage")
    media = [str(p) for p in template_media]
    project = apply_template(template, media)
    old = project.timeline.get("slot-2")  # the photo
    swapped = swap_slot(project, "slot-2", media[3])
    new = swapped.timeline.get("slot-2")
    assert (new.start, new.duration, new.volume, new.fit) == (old.start, old.duration, old.volume, old.fit)
    assert new.source == str(template_media[3].resolve()) and new.source_frames == 150
    assert [e.id for e in new.effects] == ["look"]  # the photo's zoom went with the photo
    # slot-4 shows the same clip: the swap picked another part of it
    other = swapped.timeline.get("slot-4")
    assert other.source == new.source
    assert new.source_in + new.duration <= other.source_in or other.source_in + other.duration <= new.source_in
    # everything else is untouched; back to a photo, the zoom returns
    assert [i for i in swapped.timeline.all_items() if i.id != "slot-2"] == \
        [i for i in project.timeline.all_items() if i.id != "slot-2"]
    back = swap_slot(swapped, "slot-2", media[1]).timeline.get("slot-2")
    assert [e.id for e in back.effects] == ["ken_burns", "look"]
    with pytest.raises(TemplateError, match="no slot or clip 'slot-99'"):
        swap_slot(project, "slot-99", media[0])
    with pytest.raises(TemplateError, match="'title' is not a clip"):
        swap_slot(project, "title", media[0])


def test_any_project_becomes_a_template(template_media, tmp_path, private_user_data):
    media = [str(template_media[0]), str(template_media[2]), str(template_media[0])]
    project = build_quick_project(media, texts=["Hello there", "second line"], stickers=["fire"],
                                  sound="sunny-pop", effects=[])
    saved = save_template(project, "My vlog")
    assert saved.id == "my_my_vlog" and saved.path.parent == private_user_data / "templates"
    found = get_template("my_my_vlog")
    from PIL import Image
    with Image.open(found.preview) as preview:  # rendered beside it, small and moving
        assert found.preview.parent == saved.path.parent and preview.n_frames > 10
        assert found.preview.stat().st_size < 300_000
    assert found.user and [t.id for t in list_templates()][-1] == "my_my_vlog"
    assert [s.id for s in found.slots] == ["slot-1", "slot-2", "slot-3"]
    assert [s.medium for s in found.slots] == [0, 1, 0]  # the same file twice: one medium
    assert [(t.id, found.placeholder(t.id)) for t in found.texts] == [("text-1", "Hello there"),
                                                                      ("text-2", "second line")]
    assert found.sound == "sunny-pop"
    stored = json.loads(saved.path.read_text(encoding="utf-8"))
    assert str(template_media[0].parent) not in json.dumps(stored)  # no media path is kept
    # applied to other media, the template gives the project's timing back
    again = apply_template(found, [str(template_media[3]), str(template_media[4])], {"text-2": "new words"})
    assert [(c.start, c.duration) for c in _clips(again)] == [(c.start, c.duration) for c in _clips(project)]
    assert again.timeline.get("text-2").content == "new words"
    assert again.timeline.get("sticker-1") == project.timeline.get("sticker-1")
    with pytest.raises(TemplateError, match="already exists"):
        save_template(project, "My vlog", preview=False)
    assert save_template(project, "My vlog", replace=True, preview=False).id == "my_my_vlog"
    with pytest.raises(TemplateError, match="template name: use ASCII letters"):
        save_template(project, "../escape")
    from studio.templates import delete_user_template
    with pytest.raises(TemplateError, match="'recipe' is a built-in template"):
        delete_user_template("recipe")
    delete_user_template("my_my_vlog")
    assert not saved.path.exists() and not found.preview.exists()
    assert "my_my_vlog" not in {t.id for t in list_templates()}


def test_a_broken_user_template_is_left_out(template_media, private_user_data):
    project = build_quick_project([str(template_media[0])], texts=["x"])
    good = save_template(project, "good", preview=False)
    (good.path.parent / "bad.json").write_text('{"schema": "studio.template", "version": 1, "id": "my_bad"}')
    assert [t.id for t in list_templates() if t.user] == ["my_good"]


def test_cut_to_beat_from_media(template_media):
    media = [str(template_media[i]) for i in (0, 2, 3)]
    project = cut_to_beat(media, "night-trap", every=2)
    beats = library_beats("night-trap")
    clips = _clips(project)
    assert len(clips) == 6  # three clips of two beats make 2.6 s: they come round again to pass 5 s
    assert clips[0].start == 0 and all(a.end == b.start for a, b in zip(clips, clips[1:]))
    for n, clip in enumerate(clips[1:], start=1):
        assert abs(clip.start - beats[2 * n] * 30) <= 0.5
    assert [c.source for c in clips] == [str(template_media[i].resolve()) for i in (0, 2, 3, 0, 2, 3)]
    assert all(c.volume == 0 for c in clips)
    [sound] = [i for i in project.timeline.all_items() if isinstance(i, SoundItem)]
    assert (sound.source, sound.start, sound.source_in, sound.end) == ("night-trap", 0, 0, clips[-1].end)
    # every 4 beats: half as many cuts for the same clips
    longer = _clips(cut_to_beat(media, "night-trap", every=4))
    assert len(longer) == 3 and all(abs(c.start - beats[4 * n] * 30) <= 0.5 for n, c in enumerate(longer))


def test_cut_to_beat_recuts_a_project(template_media, tmp_path):
    project = build_quick_project([str(template_media[0]), str(template_media[3])], texts=["Title", "later"],
                                  sound="lofi-study")
    path = tmp_path / "p.studio"
    save_project(project, path)
    recut = cut_to_beat(load_project(path), "sunny-pop", every=1)
    clips = _clips(recut)
    assert [c.start for c in clips] == [15 * n for n in range(len(clips))] and clips[-1].end >= 150
    sounds = [i for i in recut.timeline.all_items() if isinstance(i, SoundItem)]
    assert [s.source for s in sounds] == ["sunny-pop"]  # the old sound gave way
    texts = [i for i in recut.timeline.all_items() if isinstance(i, TextItem)]
    assert texts and all(t.end <= recut.duration for t in texts)
    save_project(recut, tmp_path / "recut.studio")  # still a valid project file
    assert load_project(tmp_path / "recut.studio").duration == recut.duration


def test_cut_to_beat_needs_a_beat_grid(template_media):
    media = [str(template_media[0])]
    with pytest.raises(TemplateError, match=r"^sound 'whoosh' has no beat grid .* e\.g\. sunny-pop$"):
        cut_to_beat(media, "whoosh")
    with pytest.raises(LibraryError, match="unknown sound 'no-such'"):
        cut_to_beat(media, "no-such")
    with pytest.raises(TemplateError, match="not the file 'song.mp3'"):
        cut_to_beat(media, "song.mp3")
    with pytest.raises(TemplateError, match="cut every 1, 2 or 4 beats, not 3"):
        cut_to_beat(media, "sunny-pop", every=3)


def test_user_templates_are_where_user_looks_are(private_user_data, template_media):
    from studio.templates import user_templates_dir

    assert user_templates_dir() == private_user_data / "templates"
    project = build_quick_project([str(template_media[0])])
    assert save_template(project, "one", preview=False).path == private_user_data / "templates" / "one.json"
    assert Fraction(get_template("my_one").fps) == 30
