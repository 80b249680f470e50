"""Captions onto the timeline: a "Captions" overlay track of text items, one per line, timed to the
words, inside the platform's safe zone; made again, it replaces the old captions."""
from __future__ import annotations

from fractions import Fraction

import pytest

from studio.captions import TRACK_NAME, CaptionLine, Word, add_captions, caption_placement, group_lines
from studio.model import Clip, Project, TextItem, Timeline, Track
from studio.render.presets import get_preset


def a_project(seconds: int = 6) -> Project:
    clip = Clip("clip-1", "/nowhere/clip.mp4", 0, seconds * 30)
    return Project(name="p", timeline=Timeline((Track("video", (clip,), name="Video"),)))


def lines_for(spec: list[tuple[str, float, float]]) -> list[CaptionLine]:
    return group_lines([Word(t, a, b) for t, a, b in spec])


def test_each_line_becomes_a_text_item_timed_to_its_words():
    lines = lines_for([("Hey", 0.8, 1.0), ("everyone,", 1.02, 1.5), ("today", 2.4, 2.7), ("we", 2.75, 2.9)])
    project = add_captions(a_project(), lines)
    track = project.timeline.tracks[-1]
    assert (track.kind, track.name) == ("overlay", TRACK_NAME)
    items = track.items
    assert [i.content for i in items] == ["Hey everyone,", "today we"]
    assert all(isinstance(i, TextItem) and i.style == "word_highlight" for i in items)
    assert [(i.start, i.end) for i in items] == [(24, 45), (72, 87)]  # 0.8 s, 1.5 s, 2.4 s, 2.9 s at 30 fps
    assert project.timeline.tracks[0].items[0].id == "clip-1"  # the rest of the project is untouched


def test_lines_close_together_are_held_until_the_next_and_never_overlap():
    lines = lines_for([("one,", 0.0, 0.5), ("two,", 0.6, 1.0), ("three", 1.0, 1.2)])
    items = add_captions(a_project(), lines).timeline.tracks[-1].items
    assert [(i.start, i.end) for i in items] == [(0, 18), (18, 30), (30, 36)]


def test_captions_stay_inside_the_safe_zone_of_each_platform():
    for preset in ("tiktok", "reels", "shorts"):
        x, y, width = caption_placement(preset)
        left, top, right, bottom = get_preset(preset).safe_zone.rect()
        assert left / 1080 <= x - width / 2 and x + width / 2 <= right / 1080
        assert top / 1920 < y < (bottom - 60) / 1920
    assert caption_placement("tiktok")[1] == pytest.approx(0.72, abs=0.02)


def test_captions_made_again_replace_the_old_ones_and_stop_at_the_end():
    project = add_captions(a_project(2), lines_for([("first", 0.1, 0.5)]))
    again = add_captions(project, lines_for([("second", 0.2, 0.6), ("late", 1.9, 2.5), ("gone", 3.2, 3.5)]),
                         style="classic")
    tracks = [t for t in again.timeline.tracks if t.name == TRACK_NAME]
    assert len(tracks) == 1
    assert [(i.content, i.style, i.start, i.end) for i in tracks[0].items] == [
        ("second", "classic", 6, 18), ("late", "classic", 57, 60)]  # cut at the project's end (2 s)


def test_an_unknown_style_or_no_lines_is_one_line_error():
    from studio.captions import CaptionError
    from studio.library.errors import LibraryError

    with pytest.raises(LibraryError) as err:
        add_captions(a_project(), lines_for([("x", 0, 1)]), style="comic-sans")
    assert "comic-sans" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(CaptionError, match="no caption lines"):
        add_captions(a_project(), [])


def test_fps_other_than_30_times_items_by_the_project_rate():
    project = Project(fps=Fraction(25), timeline=Timeline((Track("video", (Clip("c", "/x.mp4", 0, 100),)),)))
    items = add_captions(project, lines_for([("hi", 1.0, 2.0)])).timeline.tracks[-1].items
    assert (items[0].start, items[0].end) == (25, 50)
