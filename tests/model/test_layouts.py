"""One-click layouts: each clip on its own layer at the same time, in its place."""
from __future__ import annotations

import pytest

from studio.model import Clip, EditError, StickerItem, Timeline, Track
from studio.model.layouts import LAYOUTS, add_video_layer, apply_layout


def _timeline(n: int) -> Timeline:
    clips = tuple(Clip(f"clip-{i + 1}", f"{i}.mp4", 30 * i, 30) for i in range(n))
    return Timeline((Track("video", clips, name="Video"), Track("overlay", (StickerItem("sticker-1", 0, 10, "x"),))))


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_layout_puts_each_clip_on_its_own_layer_at_the_first_clips_time(name):
    layout = LAYOUTS[name]
    ids = [f"clip-{i + 1}" for i in range(layout.clips)]
    tl = apply_layout(_timeline(layout.clips), name, ids)
    videos = [t for t in tl.tracks if t.kind == "video"]
    assert len(videos) == layout.clips
    assert [t.items[0].id for t in videos] == ids  # first clip at the bottom, in order
    assert all(t.items[0].start == 0 for t in videos)
    assert tl.tracks[-1].kind == "overlay"  # overlays stay above every layer
    boxes = []
    for track, slot in zip(videos, layout.slots):
        clip = track.items[0]
        assert {k: getattr(clip, k) for k in slot} == slot
        boxes.append((clip.x - clip.box_w / 2, clip.y - clip.box_h / 2, clip.x + clip.box_w / 2, clip.y + clip.box_h / 2))
    for x0, y0, x1, y1 in boxes:  # every place is on the canvas
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    if name != "pip":  # side by side / stacked: the places tile the canvas without overlapping
        assert sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes) == pytest.approx(1.0)


def test_layout_refuses_the_wrong_number_of_clips_and_non_clips():
    with pytest.raises(EditError, match="takes 2 clips, got 1"):
        apply_layout(_timeline(2), "duet", ["clip-1"])
    with pytest.raises(EditError, match="only video clips"):
        apply_layout(_timeline(2), "duet", ["clip-1", "sticker-1"])
    with pytest.raises(EditError, match="unknown layout 'grid'"):
        apply_layout(_timeline(2), "grid", ["clip-1", "clip-2"])


def test_a_free_layer_is_reused_and_new_layers_sit_above_the_video_layers():
    tl, index = add_video_layer(_timeline(2))
    assert index == 1 and tl.tracks[1].kind == "video" and not tl.tracks[1].items
    tl = apply_layout(tl, "pip", ["clip-1", "clip-2"])
    assert len([t for t in tl.tracks if t.kind == "video"]) == 2
    assert tl.tracks[1].items[0].id == "clip-2"
