"""Edits: each keeps the timeline invariants, raises EditError instead of breaking them, and is pure."""
from __future__ import annotations

import copy
import random
from fractions import Fraction

import pytest

from studio.model import Clip, EditError, SoundItem, StickerItem, TextItem, Timeline, Track
from studio.model.edits import (add_item, append_clip, delete, insert, move, new_id, ripple_delete, set_property,
                                split, trim)

from timeline_checks import check_invariants


def clip(id_, start, duration, source_in=0, speed=1, source_frames=1000, source="/m/a.mp4"):
    return Clip(id_, source, start, duration, source_in=source_in, speed=Fraction(speed), source_frames=source_frames)


def text(id_, start, duration):
    return TextItem(id_, start, duration, f"title {id_}")


def sound(id_, start, duration, source_in=0):
    return SoundItem(id_, "lofi_85", start, duration, source_in=source_in, fade_in=5, fade_out=5)


@pytest.fixture
def tl() -> Timeline:
    """Main track: clip-1 0..30, clip-2 30..90, clip-3 100..120; one overlay and one audio track."""
    return Timeline((
        Track("video", (clip("clip-1", 0, 30, source_in=0), clip("clip-2", 30, 60, source_in=10, source_frames=200),
                        clip("clip-3", 100, 20)), name="Video"),
        Track("overlay", (text("text-1", 0, 20), text("text-2", 95, 10)), name="Overlay 1"),
        Track("audio", (sound("sound-1", 100, 50),), name="Audio 1"),
    ))


def spans(track):
    return [(i.id, i.start, i.end) for i in track.items]


# ---------------------------------------------------------------- insert / append

def test_insert_at_boundary_pushes_later_items(tl):
    out = insert(tl, clip("new", 30, 15))
    check_invariants(out)
    assert spans(out.tracks[0]) == [("clip-1", 0, 30), ("new", 30, 45), ("clip-2", 45, 105), ("clip-3", 115, 135)]
    # other tracks are not touched by an insert on the main track
    assert out.tracks[1:] == tl.tracks[1:]


def test_insert_inside_an_item_splits_it_and_source_continues(tl):
    out = insert(tl, clip("new", 50, 10))
    check_invariants(out)
    main = out.tracks[0]
    assert spans(main) == [("clip-1", 0, 30), ("clip-2", 30, 50), ("new", 50, 60), ("clip-4", 60, 100),
                           ("clip-3", 110, 130)]
    assert out.get("clip-2").source_in == 10
    assert out.get("clip-4").source_in == 10 + 20  # continues where the first half stops
    assert out.get("clip-4").source == out.get("clip-2").source


def test_insert_rejects_wrong_kind_duplicate_id_bad_track_and_bad_item(tl):
    with pytest.raises(EditError, match="overlay item cannot go on a video track"):
        insert(tl, text("t", 0, 10), 0)
    with pytest.raises(EditError, match="already exists"):
        insert(tl, clip("clip-2", 0, 10))
    with pytest.raises(EditError, match="no track 7"):
        insert(tl, clip("x", 0, 10), 7)
    with pytest.raises(EditError, match="duration must be positive"):
        insert(tl, clip("x", 0, 0))
    with pytest.raises(EditError, match="needs 20 source frames"):
        insert(tl, clip("x", 0, 10, source_in=10, source_frames=15))


def test_append_clip_goes_after_the_last_item(tl):
    out = append_clip(tl, clip("new", 0, 25))
    check_invariants(out)
    assert spans(out.tracks[0])[-1] == ("new", 120, 145)
    empty = Timeline()
    out = append_clip(append_clip(empty, clip("a", 99, 10)), clip("b", 0, 5))
    assert spans(out.tracks[0]) == [("a", 0, 10), ("b", 10, 15)]
    with pytest.raises(EditError):
        append_clip(tl, clip("x", 0, 5), 9)


# ---------------------------------------------------------------- split

def test_split_source_continues_exactly(tl):
    out = split(tl, "clip-2", 41)
    check_invariants(out)
    first, second = out.get("clip-2"), out.get("clip-4")
    assert (first.start, first.end, first.source_in) == (30, 41, 10)
    assert (second.start, second.end, second.source_in) == (41, 90, 21)
    assert first.source_frame(40) + 1 == second.source_frame(41)
    assert split(tl, "clip-2", 41, new_item_id="tail").get("tail").source_in == 21


def test_split_at_speed_two_on_an_odd_frame():
    t = Timeline((Track("video", (clip("c", 0, 20, source_in=5, speed=2, source_frames=45),)),))
    out = split(t, "c", 7)
    check_invariants(out)
    assert out.get("c-1").source_in == 5 + 7 * 2
    assert out.get("c").source_frame(6) + 2 == out.get("c-1").source_frame(7)


def test_split_at_speed_three_halves_between_source_frames_raises():
    t = Timeline((Track("video", (clip("c", 0, 20, source_in=3, speed=Fraction(3, 2), source_frames=40),)),))
    with pytest.raises(EditError, match="does not fall on a source frame"):
        split(t, "c", 5)  # 3 + 7.5
    out = split(t, "c", 6)
    assert out.get("c-1").source_in == 3 + 9
    check_invariants(out)


def test_split_sound_and_text():
    t = Timeline((Track("overlay", (text("t", 0, 10),)), Track("audio", (sound("s", 10, 40, source_in=3),))))
    out = split(split(t, "s", 25), "t", 4)
    check_invariants(out)
    a, b = out.get("s"), out.get("s-1")
    assert (a.end, a.fade_in, a.fade_out) == (25, 5, 0)  # no fade at the cut
    assert (b.start, b.source_in, b.fade_in, b.fade_out) == (25, 3 + 15, 0, 5)
    assert spans(out.tracks[0]) == [("t", 0, 4), ("t-1", 4, 10)]


@pytest.mark.parametrize("at", [0, 30, 90, 95, -1])
def test_split_outside_the_item_raises(tl, at):
    with pytest.raises(EditError, match="not inside"):
        split(tl, "clip-2", at)


def test_split_rejects_unknown_item_and_taken_id(tl):
    with pytest.raises(EditError, match="no such item"):
        split(tl, "nope", 10)
    with pytest.raises(EditError, match="already exists"):
        split(tl, "clip-2", 40, new_item_id="clip-3")
    with pytest.raises(EditError):
        split(tl, "clip-2", 40.5)


# ---------------------------------------------------------------- trim

def test_trim_in_edge_moves_source_in(tl):
    out = trim(tl, "clip-3", start=105)
    check_invariants(out)
    assert (out.get("clip-3").start, out.get("clip-3").source_in, out.get("clip-3").end) == (105, 5, 120)
    out = trim(tl, "clip-2", start=40)
    assert (out.get("clip-2").start, out.get("clip-2").source_in, out.get("clip-2").end) == (40, 20, 90)
    out = trim(tl, "sound-1", start=120, end=130)
    assert (out.get("sound-1").source_in, out.get("sound-1").duration) == (20, 10)


def test_trim_at_speed_follows_source_and_refuses_half_frames():
    t = Timeline((Track("video", (clip("c", 10, 20, source_in=30, speed=Fraction(3, 2), source_frames=100),)),))
    out = trim(t, "c", start=12)
    assert out.get("c").source_in == 33
    with pytest.raises(EditError, match="does not fall on a source frame"):
        trim(t, "c", start=13)
    out = trim(t, "c", start=2)  # 30 - 8 * 1.5 = 18
    assert (out.get("c").source_in, out.get("c").start, out.get("c").duration) == (18, 2, 28)


def test_trim_cannot_overlap_a_neighbour(tl):
    with pytest.raises(EditError, match="overlaps a neighbour"):
        trim(tl, "clip-2", end=101)
    with pytest.raises(EditError, match="overlaps a neighbour"):
        trim(tl, "text-2", start=19)
    assert trim(tl, "clip-2", end=100).get("clip-2").end == 100


def test_trim_cannot_go_before_the_source_start_or_past_its_end(tl):
    with pytest.raises(EditError, match="before the start of the source"):
        trim(tl, "clip-3", start=95)  # clip-3 starts at source frame 0
    lone = Timeline((Track("video", (clip("c", 50, 10, source_in=10),)),))
    with pytest.raises(EditError, match="before the start of the source"):
        trim(lone, "c", start=39)
    assert trim(lone, "c", start=40).get("c").source_in == 0
    with pytest.raises(EditError, match="before the start of the sound"):
        trim(tl, "sound-1", start=99)

def test_trim_cannot_exceed_source_frames():
    t = Timeline((Track("video", (clip("c", 0, 50, source_in=40, source_frames=100),)),))
    assert trim(t, "c", end=60).get("c").duration == 60
    with pytest.raises(EditError, match="needs 101 source frames, the source has 100"):
        trim(t, "c", end=61)


def test_trim_to_nothing_or_negative_raises(tl):
    with pytest.raises(EditError, match="no duration"):
        trim(tl, "clip-1", end=0)
    with pytest.raises(EditError, match="no duration"):
        trim(tl, "clip-1", start=30)
    with pytest.raises(EditError, match="start must not be negative"):
        trim(tl, "text-1", start=-1)


# ---------------------------------------------------------------- move

def test_move_within_and_across_tracks(tl):
    out = move(tl, "text-2", 30)
    check_invariants(out)
    assert spans(out.tracks[1]) == [("text-1", 0, 20), ("text-2", 30, 40)]
    with pytest.raises(EditError, match="overlaps another item"):
        move(tl, "text-2", 15)
    two = add_item(tl, StickerItem("st", 0, 10, "sunglasses"))  # Overlay 1 is busy at 0: a new overlay track
    assert spans(two.tracks[3]) == [("st", 0, 10)]
    out = move(two, "text-2", 10, track_index=3)
    check_invariants(out)
    assert [i.id for i in out.tracks[1].items] == ["text-1"]
    assert spans(out.tracks[3]) == [("st", 0, 10), ("text-2", 10, 20)]
    with pytest.raises(EditError, match="overlaps another item"):
        move(two, "text-2", 9, track_index=3)


def test_move_to_other_track_of_same_kind(tl):
    t = Timeline((*tl.tracks, Track("overlay", (), name="Overlay 2")))
    out = move(t, "text-1", 5, track_index=3)
    check_invariants(out)
    assert spans(out.tracks[3]) == [("text-1", 5, 25)]
    assert [i.id for i in out.tracks[1].items] == ["text-2"]
    with pytest.raises(EditError, match="cannot move a overlay item to a audio track"):
        move(t, "text-1", 5, track_index=2)
    with pytest.raises(EditError, match="cannot move"):
        move(t, "clip-1", 500, track_index=1)
    with pytest.raises(EditError, match="no track"):
        move(t, "clip-1", 500, track_index=9)
    with pytest.raises(EditError, match="start must not be negative"):
        move(t, "clip-1", -3)
    with pytest.raises(EditError, match="no such item"):
        move(t, "ghost", 3)


# ---------------------------------------------------------------- delete / ripple

def test_delete_leaves_a_gap(tl):
    out = delete(tl, "clip-2")
    check_invariants(out)
    assert spans(out.tracks[0]) == [("clip-1", 0, 30), ("clip-3", 100, 120)]
    with pytest.raises(EditError):
        delete(tl, "ghost")


def test_ripple_delete_on_a_secondary_track_closes_the_gap_there_only(tl):
    out = ripple_delete(tl, "text-1")
    check_invariants(out)
    assert spans(out.tracks[1]) == [("text-2", 75, 85)]
    assert out.tracks[0] == tl.tracks[0] and out.tracks[2] == tl.tracks[2]


def test_ripple_delete_on_main_track_shifts_items_after_the_clip(tl):
    out = ripple_delete(tl, "clip-2")
    check_invariants(out)
    assert spans(out.tracks[0]) == [("clip-1", 0, 30), ("clip-3", 40, 60)]
    assert spans(out.tracks[1]) == [("text-1", 0, 20), ("text-2", 35, 45)]
    assert spans(out.tracks[2]) == [("sound-1", 40, 90)]


def test_ripple_delete_leaves_a_track_with_an_item_across_the_cut_unchanged(tl):
    # the music spans clip-2 (30..90); a later sting at 200 would otherwise be pulled out of sync with it
    t = Timeline((tl.tracks[0], tl.tracks[1], Track("audio", (sound("music", 20, 100), sound("sting", 200, 10)))))
    out = ripple_delete(t, "clip-2")
    check_invariants(out)
    assert out.tracks[2] == t.tracks[2]
    assert spans(out.tracks[1]) == [("text-1", 0, 20), ("text-2", 35, 45)]
    # and a track where the shift would overlap is unchanged too
    t = Timeline((tl.tracks[0], Track("overlay", (text("a", 85, 10), text("b", 95, 5)))))
    out = ripple_delete(t, "clip-2")
    assert out.tracks[1] == t.tracks[1]


def test_ripple_delete_on_a_second_video_track_does_not_touch_others(tl):
    t = Timeline((*tl.tracks, Track("video", (clip("b-roll", 0, 10), clip("b-roll-2", 40, 10)))))
    out = ripple_delete(t, "b-roll")
    assert spans(out.tracks[3]) == [("b-roll-2", 30, 40)]
    assert out.tracks[:3] == t.tracks[:3]


# ---------------------------------------------------------------- set_property

def test_set_speed_keeps_source_span_and_ripples_main_track(tl):
    out = set_property(tl, "clip-2", "speed", 2)
    check_invariants(out)
    c = out.get("clip-2")
    assert c.speed == 2 and c.duration == 30 and c.duration * c.speed == 60
    assert spans(out.tracks[0]) == [("clip-1", 0, 30), ("clip-2", 30, 60), ("clip-3", 70, 90)]
    out = set_property(tl, "clip-2", "speed", 0.5)
    assert spans(out.tracks[0]) == [("clip-1", 0, 30), ("clip-2", 30, 150), ("clip-3", 160, 180)]
    assert out.get("clip-2").speed == Fraction(1, 2)
    out = set_property(tl, "clip-1", "speed", "3/2")
    assert (out.get("clip-1").speed, out.get("clip-1").duration) == (Fraction(3, 2), 20)


def test_set_speed_off_main_track_must_fit(tl):
    t = Timeline((*tl.tracks, Track("video", (clip("b", 0, 10), clip("c", 12, 10)))))
    with pytest.raises(EditError, match="overlaps its neighbour"):
        set_property(t, "b", "speed", 0.5)
    assert set_property(t, "b", "speed", 2).get("b").duration == 5
    z = Timeline((Track("video", (clip("z", 0, 10, source_in=5, source_frames=15),)),))
    with pytest.raises(EditError, match="needs 16 source frames, the source has 15"):
        set_property(z, "z", "source_in", 6)
    assert set_property(z, "z", "source_in", 4).get("z").source_in == 4


@pytest.mark.parametrize("name, value, message", [
    ("colour", "red", "no editable property"),
    ("id", "other", "no editable property"),
    ("volume", "loud", "cannot be 'loud'"),
    ("volume", None, "cannot be None"),
    ("volume", float("nan"), "cannot be nan"),
    ("fit", 3, "cannot be 3"),
    ("fit", "zoom", "fit must be one of"),
    ("speed", 0, "speed must be positive"),
    ("speed", -1, "speed must be positive"),
    ("speed", "fast", "cannot be 'fast'"),
    ("speed", None, "cannot be None"),
    ("speed", True, "cannot be True"),
    ("source", "", "must name a file"),
    ("source_frames", "many", "cannot be 'many'"),
    ("source_frames", 0, "must be positive"),
    ("effects", ["blur"], "cannot be"),
    ("start", "10", "whole number"),
    ("start", 10.5, "whole number"),
    ("duration", None, "whole number"),
    ("duration", -4, "no duration"),
])
def test_set_property_rejects_bad_names_and_values(tl, name, value, message):
    with pytest.raises(EditError, match=message):
        set_property(tl, "clip-2", name, value)


def test_set_property_checks_overlay_values(tl):
    with pytest.raises(EditError, match="opacity must be between 0 and 1, got 2.0"):
        set_property(tl, "text-1", "opacity", 2)
    with pytest.raises(EditError, match="anim_in must be one of"):
        set_property(tl, "text-1", "anim_in", "spin")
    with pytest.raises(EditError, match="no such item"):
        set_property(tl, "ghost", "opacity", 1)
    out = set_property(tl, "text-1", "opacity", 0)
    assert out.get("text-1").opacity == 0.0 and isinstance(out.get("text-1").opacity, float)
    assert set_property(tl, "text-1", "content", "héllo ✨").get("text-1").content == "héllo ✨"
    assert set_property(tl, "text-1", "start", 40).get("text-1").start == 40
    assert set_property(tl, "text-1", "duration", 5).get("text-1").end == 5
    assert set_property(tl, "clip-3", "source_frames", None).get("clip-3").source_frames is None


# ---------------------------------------------------------------- add_item

def test_add_item_picks_a_free_track_or_makes_one(tl):
    out = add_item(tl, text("t-a", 40, 10))  # free on Overlay 1
    assert [i.id for i in out.tracks[1].items] == ["text-1", "t-a", "text-2"] and len(out.tracks) == 3
    out = add_item(tl, text("t-b", 10, 10))  # Overlay 1 is busy at 10: a new overlay track
    assert len(out.tracks) == 4 and out.tracks[3].kind == "overlay" and out.tracks[3].name == "Overlay 2"
    assert [i.id for i in out.tracks[3].items] == ["t-b"]
    out2 = add_item(out, StickerItem("st", 12, 5, "heart"))  # Overlay 1 busy, Overlay 2 busy, -> third
    assert len(out2.tracks) == 5
    out3 = add_item(out, StickerItem("st", 25, 5, "heart"))  # the first free one: Overlay 1
    assert "st" in [i.id for i in out3.tracks[1].items]
    out4 = add_item(tl, sound("sfx", 0, 10))
    assert [i.id for i in out4.tracks[2].items] == ["sfx", "sound-1"]
    for t in (out, out2, out3, out4):
        check_invariants(t)


def test_add_item_errors(tl):
    with pytest.raises(EditError, match="already exists"):
        add_item(tl, text("text-1", 50, 5))
    with pytest.raises(EditError, match="overlaps another item on track 1"):
        add_item(tl, text("x", 10, 5), track_index=1)
    with pytest.raises(EditError, match="cannot go on a audio track"):
        add_item(tl, text("x", 10, 5), track_index=2)
    with pytest.raises(EditError, match="no track 5"):
        add_item(tl, text("x", 10, 5), track_index=5)
    with pytest.raises(EditError, match="duration must be positive"):
        add_item(tl, text("x", 10, -5))


def test_new_id_is_deterministic(tl):
    assert new_id(tl, "clip") == "clip-4"
    assert new_id(tl, "text") == "text-3"
    assert new_id(Timeline(), "sound") == "sound-1"


# ---------------------------------------------------------------- purity

def test_edits_do_not_change_their_input(tl):
    tl = Timeline((*tl.tracks[:2], Track("audio", (sound("sound-1", 100, 50),)),
                   Track("video", (Clip("fx", "/m/b.mp4", 0, 10, effects=(), source_frames=None),))))
    before = copy.deepcopy(tl)
    edits = [
        lambda t: insert(t, clip("n", 50, 10)),
        lambda t: append_clip(t, clip("n", 0, 10)),
        lambda t: split(t, "clip-2", 50),
        lambda t: trim(t, "clip-2", start=40, end=80),
        lambda t: move(t, "text-2", 50),
        lambda t: delete(t, "clip-1"),
        lambda t: ripple_delete(t, "clip-1"),
        lambda t: set_property(t, "clip-2", "speed", 2),
        lambda t: set_property(t, "text-1", "content", "x"),
        lambda t: add_item(t, text("n", 0, 10)),
    ]
    for edit in edits:
        out = edit(tl)
        assert out != tl
        assert tl == before
        check_invariants(out)


# ---------------------------------------------------------------- random sequences

def _random_edit(rng: random.Random, t: Timeline, n: int) -> Timeline:
    items = t.all_items()
    some = rng.choice(items).id if items and rng.random() < 0.95 else "ghost"
    frame = rng.randint(-5, 400)
    op = rng.randrange(10)
    if op == 0:
        speed = rng.choice([1, 2, Fraction(3, 2), Fraction(1, 2)])
        return insert(t, clip(f"n{n}", frame, rng.randint(-2, 60), source_in=rng.randint(0, 50), speed=speed,
                              source_frames=rng.choice([None, 200])), rng.randrange(len(t.tracks) + 1))
    if op == 1:
        return append_clip(t, clip(f"n{n}", 0, rng.randint(1, 40), source_frames=rng.choice([None, 30])))
    if op == 2:
        return split(t, some, frame)
    if op == 3:
        return trim(t, some, start=rng.choice([None, frame]), end=rng.choice([None, frame + rng.randint(-20, 80)]))
    if op == 4:
        return move(t, some, frame, rng.choice([None, rng.randrange(-1, len(t.tracks) + 1)]))
    if op == 5:
        return delete(t, some)
    if op == 6:
        return ripple_delete(t, some)
    if op == 7:
        name, value = rng.choice([("speed", 2), ("speed", Fraction(3, 2)), ("speed", 0.5), ("speed", 0),
                                  ("opacity", 0.5), ("opacity", 3), ("fit", "fit_black"), ("x", "left"),
                                  ("source_in", rng.randint(-5, 300)), ("start", frame), ("duration", frame),
                                  ("fade_in", 4), ("content", "hi"), ("nope", 1), ("source_frames", None)])
        return set_property(t, some, name, value)
    kind = rng.randrange(3)
    item = [text(f"n{n}", frame, rng.randint(0, 50)), StickerItem(f"n{n}", frame, rng.randint(1, 50), "heart"),
            sound(f"n{n}", frame, rng.randint(1, 90))][kind]
    return add_item(t, item, rng.choice([None, None, rng.randrange(len(t.tracks) + 1)]))


@pytest.mark.parametrize("seed", range(3))
def test_random_edit_sequences_keep_invariants(tl, seed):
    rng = random.Random(seed)
    t = tl
    applied = refused = 0
    for n in range(200):
        before = copy.deepcopy(t)
        try:
            out = _random_edit(rng, t, n)
        except EditError as exc:
            assert "\n" not in str(exc)
            refused += 1
            continue
        finally:
            assert t == before  # pure, even when refusing
        check_invariants(out)
        t = out
        applied += 1
    assert applied > 50 and refused > 10  # the sequence really exercised both paths
