"""Copy, paste and duplicate keep what items carry and their arrangement, with new ids."""
from studio.model import Clip, EffectRef, TextItem, Timeline, Track, WordTime
from studio.model import clipboard
from studio.model.keys import Key


def _timeline():
    a = Clip("clip-1", "/m/a.mp4", 0, 30, effects=(EffectRef("beauty", {"strength": 0.7}),))
    b = Clip("clip-2", "/m/b.mp4", 30, 30)
    title = TextItem("text-1", 5, 20, "hi there", keys=(Key("x", 0, 0.2), Key("x", 10, 0.8)),
                     words=(WordTime("hi", 0, 8), WordTime("there", 9, 20)))
    return Timeline((Track("video", (a, b)), Track("overlay", (title,))))


def test_paste_keeps_effects_keys_words_and_arrangement():
    tl = _timeline()
    copied = clipboard.copy(tl, ["clip-1", "text-1"])
    pasted, ids = clipboard.paste(tl, copied, 100, magnetic_main=False)
    clip, text = pasted.get(ids[0]), pasted.get(ids[1])
    assert ids == ["clip-3", "text-2"]
    assert clip.effects == tl.get("clip-1").effects and clip.start == 100
    assert text.keys == tl.get("text-1").keys and text.words == tl.get("text-1").words
    assert text.start - clip.start == 5                   # arrangement kept
    assert pasted.get("clip-1") == tl.get("clip-1")       # originals untouched


def test_paste_on_the_magnetic_main_track_goes_in_line_and_the_rest_follows():
    tl = _timeline()
    copied = clipboard.copy(tl, ["clip-1", "text-1"])
    pasted, ids = clipboard.paste(tl, copied, 10)           # playhead inside clip-1: after it
    order = sorted(pasted.tracks[0].items, key=lambda c: c.start)
    assert [c.id for c in order] == ["clip-1", ids[0], "clip-2"]
    assert [(c.start, c.end) for c in order] == [(0, 30), (30, 60), (60, 90)]
    assert pasted.get(ids[1]).start == 35                   # the title on the pasted clip, 5 frames in
    tracks = [t for t in pasted.tracks if t.kind == "overlay"]
    for track in tracks:
        items = sorted(track.items, key=lambda i: i.start)
        assert all(x.end <= y.start for x, y in zip(items, items[1:]))


def test_duplicate_puts_copies_right_after_and_overlapping_text_gets_its_own_track():
    tl = _timeline()
    dup, ids = clipboard.duplicate(tl, ["text-1"], magnetic_main=True)
    assert dup.get(ids[0]).start == 25 and dup.get(ids[0]).content == "hi there"
    dup2, ids2 = clipboard.duplicate(tl, ["clip-2"])
    order = sorted(dup2.tracks[0].items, key=lambda c: c.start)
    assert [c.id for c in order] == ["clip-1", "clip-2", ids2[0]] and order[-1].start == 60
    long = Timeline((Track("overlay", (TextItem("t", 0, 50, "a"), TextItem("u", 60, 50, "b"))),))
    pasted, ids = clipboard.paste(long, clipboard.copy(long, ["t"]), 40)
    assert pasted.get(ids[0]).start == 40 and len(pasted.tracks) == 2   # no room on its track
    assert clipboard.copy(long, ["gone"]).entries == ()
