"""Keyframes as data: easing, holding, splitting and trimming keyed items, speed ramps, and the
rules a project file's keys must obey."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest

from studio.model import Clip, EditError, EffectRef, Project, ProjectError, StickerItem, Timeline, Track
from studio.model import edits
from studio.model.keys import (Key, ease, keys_window, preset_keys, source_offset, speed_at, value_at, with_key,
                               without_key)
from studio.model.serialize import project_from_dict, project_to_dict


def test_easings_start_and_end_where_they_should():
    for name in ("linear", "ease_in", "ease_out", "ease_in_out"):
        assert ease(name, 0.0) == 0.0 and ease(name, 1.0) == 1.0
    assert ease("ease_in", 0.25) < 0.25 < ease("ease_out", 0.25)
    assert ease("ease_in_out", 0.5) == pytest.approx(0.5)
    assert ease("hold", 0.99) == 0.0


def test_value_between_and_outside_keys():
    keys = (Key("x", 10, 0.2), Key("x", 20, 0.8, "hold"), Key("x", 30, 0.0), Key("y", 0, 0.5))
    assert value_at(keys, "x", 0, 9.0) == 0.2          # before the first: holds
    assert value_at(keys, "x", 15, 9.0) == pytest.approx(0.5)
    assert value_at(keys, "x", 25, 9.0) == 0.8          # hold until the next key
    assert value_at(keys, "x", 30, 9.0) == 0.0
    assert value_at(keys, "x", 99, 9.0) == 0.0          # after the last: holds
    assert value_at(keys, "scale", 5, 9.0) == 9.0       # no keys: the item's own value
    keys2 = with_key(keys, Key("x", 20, 0.6))
    assert value_at(keys2, "x", 20, 0) == 0.6 and len(keys2) == len(keys)
    assert value_at(without_key(keys2, "x", 20), "x", 20, 0) == pytest.approx(0.1)


def test_split_keeps_the_motion_of_both_parts():
    sticker = StickerItem("sticker-1", 0, 40, "sunglasses", keys=(Key("x", 0, 0.0), Key("x", 39, 1.0)))
    tl = Timeline((Track("overlay", (sticker,)),))
    tl = edits.split(tl, "sticker-1", 20)
    first, second = tl.tracks[0].items
    for local in range(40):
        part, at = (first, local) if local < 20 else (second, local - 20)
        assert value_at(part.keys, "x", at, -1) == pytest.approx(value_at(sticker.keys, "x", local, -1), abs=1e-9)


def test_trim_retimes_keys():
    keys = (Key("scale", 0, 1.0), Key("scale", 30, 2.0))
    window = keys_window(keys, 10, 10)
    assert [(k.frame, round(k.value, 4)) for k in window] == [(0, round(1 + 10 / 30, 4)), (9, round(1 + 19 / 30, 4))]


def test_speed_ramp_integrates_the_curve():
    flat = (Key("speed", 0, 2.0), Key("speed", 10, 2.0))
    assert source_offset(flat, Fraction(1), 10) == 20
    ramp = (Key("speed", 0, 1.0), Key("speed", 10, 3.0))
    assert float(source_offset(ramp, Fraction(1), 10)) == pytest.approx(20.0)  # mean speed 2 over 10 frames
    assert float(source_offset(ramp, Fraction(1), 15)) == pytest.approx(35.0)  # then 3 a frame
    clip = Clip("clip-1", "a.mp4", 100, 50, source_in=7, keys=preset_keys("bullet", 50))
    assert clip.source_frame(100) == 7
    assert speed_at(clip.keys, clip.speed, 25) == pytest.approx(0.2)
    assert clip.source_span == clip.source_frame(150) - 7


def test_ramped_clip_split_continues_the_source():
    clip = Clip("clip-1", "a.mp4", 0, 60, keys=preset_keys("montage", 60), source_frames=400)
    tl = edits.split(Timeline((Track("video", (clip,)),)), "clip-1", 30)
    first, second = tl.tracks[0].items
    assert second.source_in == round(clip.source_frame(30))
    assert abs(float(second.source_frame(45)) - float(clip.source_frame(45))) <= 0.5


def test_keys_must_name_animatable_fields_and_the_items_effects():
    clip = Clip("clip-1", "a.mp4", 0, 30, effects=(EffectRef("beauty", {}),))
    tl = Timeline((Track("video", (clip,)),))
    tl2 = edits.set_property(tl, "clip-1", "keys", (Key("opacity", 0, 1.0), Key("beauty.smooth", 0, 0.2)))
    assert len(tl2.get("clip-1").keys) == 2
    with pytest.raises(EditError, match="'source' cannot be animated"):
        edits.set_property(tl, "clip-1", "keys", (Key("source", 0, 1.0),))
    with pytest.raises(EditError, match="effect 'vignette', which the item does not have"):
        edits.set_property(tl, "clip-1", "keys", (Key("vignette.strength", 0, 1.0),))
    with pytest.raises(EditError, match="opacity at frame 3 must be between 0 and 1"):
        edits.set_property(tl, "clip-1", "keys", (Key("opacity", 3, 4.0),))


def test_keys_round_trip_through_a_project_file_and_bad_ones_are_one_line_errors():
    clip = Clip("clip-1", "/media/a.mp4", 0, 30, x=0.3, box_w=0.5, blend="screen", transition="dissolve",
                keys=(Key("x", 0, 0.1, "ease_out"), Key("x", 29, 0.9)))
    project = Project(timeline=Timeline((Track("video", (clip,)),)))
    data = json.loads(json.dumps(project_to_dict(project)))
    assert project_from_dict(data) == project
    bad = json.loads(json.dumps(data))
    bad["timeline"]["tracks"][0]["items"][0]["keys"][0]["param"] = "source_in"
    with pytest.raises(ProjectError, match=r"items\[0\]\.keys: 'source_in' cannot be animated") as err:
        project_from_dict(bad)
    assert "\n" not in str(err.value)
    bad["timeline"]["tracks"][0]["items"][0]["keys"][0] = {"param": "x", "frame": -1, "value": 0}
    with pytest.raises(ProjectError, match="frame"):
        project_from_dict(bad)
    bad["timeline"]["tracks"][0]["items"][0]["keys"][0] = {"param": "x", "frame": 1, "value": 0, "ease": "bouncy"}
    with pytest.raises(ProjectError, match="ease"):
        project_from_dict(bad)
    bad["timeline"]["tracks"][0]["items"][0]["keys"] = []
    bad["timeline"]["tracks"][0]["items"][0]["blend"] = "dodge"
    with pytest.raises(ProjectError, match="blend: must be one of normal, screen"):
        project_from_dict(bad)


def test_crop_that_leaves_nothing_is_refused():
    tl = Timeline((Track("video", (Clip("clip-1", "a.mp4", 0, 30, crop_left=0.6),)),))
    with pytest.raises(EditError, match="crop leaves nothing"):
        edits.set_property(tl, "clip-1", "crop_right", 0.5)


def test_a_key_on_an_unknown_effect_param_is_a_one_line_export_error(tmp_path):
    from studio.render.errors import ExportError
    from studio.render.validate import check_effect_keys

    clip = Clip("clip-1", "a.mp4", 0, 30, effects=(EffectRef("background_blur", {}),),
                keys=(Key("background_blur.strength", 0, 0.2),))
    check_effect_keys(clip)  # a keyable param: fine
    bad = Clip("clip-1", "a.mp4", 0, 30, effects=(EffectRef("background_blur", {}),),
               keys=(Key("background_blur.radius", 0, 0.2),))
    with pytest.raises(ExportError, match=r"key 'background_blur.radius' does not name a keyable param of effect "
                                          r"'background_blur' \(it keys strength\)"):
        check_effect_keys(bad)
