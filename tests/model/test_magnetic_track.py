"""The magnetic main track: clips butt together, reordering makes room, removing closes the gap,
and items that start on a clip move with it."""
import pytest

from studio.model import Clip, EditError, SoundItem, TextItem, Timeline, Track
from studio.model import magnetic


def _timeline():
    a = Clip("a", "/m/a.mp4", 0, 30)
    b = Clip("b", "/m/b.mp4", 30, 60)
    c = Clip("c", "/m/c.mp4", 90, 45)
    title_b = TextItem("t-b", 40, 20, "on b")
    title_c = TextItem("t-c", 100, 20, "on c")
    sound = SoundItem("s", "/m/beat.wav", 0, 135)
    return Timeline((Track("video", (a, b, c)), Track("overlay", (title_b, title_c)), Track("audio", (sound,))))


def _spans(tl, track=0):
    return [(i.id, i.start, i.end) for i in sorted(tl.tracks[track].items, key=lambda i: i.start)]


def test_reorder_butts_clips_and_moves_linked_items():
    tl = magnetic.reorder(_timeline(), "c", 0)
    assert _spans(tl) == [("c", 0, 45), ("a", 45, 75), ("b", 75, 135)]
    # the titles keep their offsets into their clips; the sound starting at 0 belongs to clip a
    assert tl.get("t-c").start == 10 and tl.get("t-b").start == 85
    assert tl.get("s").start == 45
    back = magnetic.reorder(tl, "c", 2)
    assert _spans(back) == [("a", 0, 30), ("b", 30, 90), ("c", 90, 135)]
    assert back.get("t-c").start == 100 and back.get("t-b").start == 40


def test_remove_closes_the_gap_and_pack_closes_any_gap():
    tl = magnetic.remove(_timeline(), "b")
    assert _spans(tl) == [("a", 0, 30), ("c", 30, 75)]
    assert tl.get("t-c").start == 40          # moved with c
    assert tl.get("t-b").start == 40          # linked to the removed clip: stays where it was
    gappy = Timeline((Track("video", (Clip("a", "/m/a.mp4", 10, 30), Clip("b", "/m/b.mp4", 70, 30))),))
    assert _spans(magnetic.pack(gappy)) == [("a", 10, 40), ("b", 40, 70)]


def test_insert_at_makes_room():
    tl = magnetic.insert_at(_timeline(), Clip("n", "/m/n.mp4", 999, 20), 1)
    assert _spans(tl) == [("a", 0, 30), ("n", 30, 50), ("b", 50, 110), ("c", 110, 155)]
    assert tl.get("t-b").start == 60 and tl.get("t-c").start == 120


def test_a_linked_item_that_would_overlap_gets_a_track_of_its_kind():
    tl = Timeline((Track("video", (Clip("a", "/m/a.mp4", 0, 30), Clip("b", "/m/b.mp4", 30, 30))),
                   Track("overlay", (TextItem("long", 0, 50, "spans a and b"), TextItem("on-b", 35, 10, "b")))))
    moved = magnetic.reorder(tl, "b", 0)
    assert _spans(moved) == [("b", 0, 30), ("a", 30, 60)]
    assert moved.get("long").start == 30 and moved.get("on-b").start == 5
    for track in moved.tracks[1:]:
        items = sorted(track.items, key=lambda i: i.start)
        assert all(x.end <= y.start for x, y in zip(items, items[1:]))
    assert sorted(i.id for t in moved.tracks[1:] for i in t.items) == ["long", "on-b"]


def test_drop_index_and_errors():
    tl = _timeline()
    assert magnetic.drop_index(tl, "c", 10) == 0       # before a's middle (15)
    assert magnetic.drop_index(tl, "c", 20) == 1
    assert magnetic.drop_index(tl, "a", 200) == 2
    with pytest.raises(EditError, match="not a clip on the main track"):
        magnetic.reorder(tl, "t-b", 0)
