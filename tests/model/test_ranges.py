"""An export of the I/O range renders the part of the project between the marks."""
from fractions import Fraction

import pytest

from studio.model import Clip, EditError, Marker, Project, SoundItem, TextItem, Timeline, Track, WordTime
from studio.model.keys import Key
from studio.model.ranges import part_of


def _project():
    tl = Timeline((Track("video", (Clip("c1", "/m/a.mp4", 0, 60), Clip("c2", "/m/b.mp4", 60, 60, source_in=10))),
                   Track("overlay", (TextItem("t", 50, 30, "one two", keys=(Key("x", 0, 0.1), Key("x", 30, 0.9)),
                                              words=(WordTime("one", 0, 14), WordTime("two", 15, 30))),)),
                   Track("audio", (SoundItem("s", "/m/beat.wav", 0, 120),))))
    return Project(name="p", fps=Fraction(30), timeline=tl, markers=(Marker(20, "a"), Marker(70, "b")))


def test_part_cuts_items_at_the_edges_and_starts_at_zero():
    part = part_of(_project(), 55, 100)
    assert part.duration == 45
    assert [(m.frame, m.name) for m in part.markers] == [(15, "b")]
    spans = {i.id: (i.start, i.end) for i in part.timeline.all_items()}
    assert spans == {"c1": (0, 5), "c2": (5, 45), "t": (0, 25), "s": (0, 45)}
    assert part.timeline.get("c1").source_in == 55 and part.timeline.get("c2").source_in == 10
    assert part.timeline.get("s").source_in == 55
    text = part.timeline.get("t")
    assert [w.text for w in text.words] == ["one", "two"] and text.words[0].start == 0
    assert text.keys[0].frame == 0 and text.keys[0].value == pytest.approx(0.1 + 0.8 * 5 / 30)


def test_items_outside_go_and_an_empty_range_is_refused():
    part = part_of(_project(), 0, 40)
    assert {i.id for i in part.timeline.all_items()} == {"c1", "s"}
    with pytest.raises(EditError, match="empty"):
        part_of(_project(), 50, 50)
