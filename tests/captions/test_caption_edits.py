"""Caption edits (studio.captions.edits): pure functions from a project to a project, each keeping
the words' times where the creator did not change them."""
from fractions import Fraction

import pytest

from studio.captions import CaptionError
from studio.captions.edits import (caption_items, caption_lines, caption_style, delete_line, export_subtitles,
                                   import_subtitles, merge_with_next, project_captions, quoted, restyle_captions,
                                   set_line_text, shift_captions, split_line, word_times)
from studio.captions.subtitles import read_subtitles
from studio.model import Clip, Project, TextItem, Timeline, Track, WordTime

FPS = Fraction(30)


def line(item_id, start, duration, *words):
    """A caption line; words as (text, start, end) frames after the line's start."""
    return TextItem(item_id, start, duration, " ".join(w[0] for w in words), style="highlight",
                    words=tuple(WordTime(*w) for w in words))


@pytest.fixture
def project():
    video = Track("video", (Clip("clip-1", "talk.mp4", 0, 150, source_frames=150),), name="Video")
    captions = Track("overlay", (
        line("caption-1", 10, 30, ("hello", 0, 12), ("there", 14, 30)),
        line("caption-2", 45, 40, ("how", 0, 8), ("are", 10, 20), ("you", 22, 40)),
        line("caption-3", 100, 20, ("bye", 0, 20)),
    ), name="Captions")
    return Project(name="Talk", fps=FPS, timeline=Timeline((video, captions)))


def texts(project):
    return [(i.content, i.start, i.end) for i in caption_items(project)]


def test_same_number_of_words_keeps_their_times(project):
    after = set_line_text(project, "caption-1", "Hello  their")
    item = caption_items(after)[0]
    assert item.content == "Hello their"
    assert item.words == (WordTime("Hello", 0, 12), WordTime("their", 14, 30))
    assert project.timeline.tracks[1].items[0].content == "hello there"  # the old project is untouched


def test_another_number_of_words_is_spread_over_the_spoken_time(project):
    item = caption_items(set_line_text(project, "caption-2", "how r u doing"))[1]
    assert [w.text for w in item.words] == ["how", "r", "u", "doing"]
    assert item.words[0].start == 0 and item.words[-1].end == 40
    assert all(a.end <= b.start for a, b in zip(item.words, item.words[1:]))
    assert item.words[3].end - item.words[3].start > item.words[1].end - item.words[1].start  # longer word
    with pytest.raises(CaptionError, match="needs some text"):
        set_line_text(project, "caption-2", "   ")


def test_a_line_without_word_times_gets_them_spread_evenly():
    item = TextItem("caption-1", 0, 30, "one two three", words=())
    assert word_times(item) == (WordTime("one", 0, 10), WordTime("two", 10, 20), WordTime("three", 20, 30))


def test_split_at_a_word_keeps_every_word_at_its_moment(project):
    after = split_line(project, "caption-2", 2)
    assert texts(after)[1:3] == [("how are", 45, 67), ("you", 67, 85)]
    first, second = caption_items(after)[1:3]
    assert first.words == (WordTime("how", 0, 8), WordTime("are", 10, 20))
    assert second.words == (WordTime("you", 0, 18),) and second.id == "caption-4" and second.style == "highlight"
    with pytest.raises(CaptionError):
        split_line(project, "caption-2", 3)
    with pytest.raises(CaptionError, match="one-word"):
        split_line(project, "caption-3", 1)


def test_merge_with_the_next_line_joins_text_time_and_words(project):
    after = merge_with_next(project, "caption-1")
    assert texts(after)[0] == ("hello there how are you", 10, 85)
    assert [(w.text, w.start) for w in caption_items(after)[0].words] == [
        ("hello", 0), ("there", 14), ("how", 35), ("are", 45), ("you", 57)]
    assert len(caption_items(after)) == 2
    with pytest.raises(CaptionError, match="no next line"):
        merge_with_next(project, "caption-3")
    # split then merge gives the line back
    assert caption_items(merge_with_next(split_line(project, "caption-2", 1), "caption-2"))[1] == \
        caption_items(project)[1]


def test_shift_all_moves_lines_and_stops_at_zero(project):
    later = shift_captions(project, 0.1)
    assert [s for _, s, _ in texts(later)] == [13, 48, 103]
    assert caption_items(later)[0].words == caption_items(project)[0].words  # words ride along
    earlier = shift_captions(project, -5.0)  # clamped: the first line stops at 0, the rest keep their gaps
    assert [s for _, s, _ in texts(earlier)] == [0, 35, 90]
    assert shift_captions(earlier, -1.0) == earlier


def test_shift_selected_lines_stops_at_their_neighbours_and_the_end(project):
    after = shift_captions(project, 1.0, ["caption-2"])  # 30 frames asked, 15 free before caption-3
    assert texts(after)[1][1:] == (60, 100)
    assert texts(after)[0] == texts(project)[0]
    back = shift_captions(project, -1.0, ["caption-2"])
    assert texts(back)[1][1:] == (40, 80)  # up to caption-1's end
    # past the picture's end (150): the last line is cut there, the short does not grow
    end = shift_captions(project, 2.0, ["caption-3"])
    assert texts(end)[2] == ("bye", 149, 150) and end.duration == 150


def test_restyle_all_and_delete(project):
    after = restyle_captions(project, "bold_caps")
    assert {i.style for i in caption_items(after)} == {"bold_caps"} and caption_style(after) == "bold_caps"
    with pytest.raises(CaptionError, match="unknown text style"):
        restyle_captions(project, "no-such-style")
    gone = delete_line(project, "caption-2")
    assert [c for c, _, _ in texts(gone)] == ["hello there", "bye"]


def test_export_then_import_round_trips(project, tmp_path):
    path = export_subtitles(project, tmp_path / "talk.srt")
    lines = read_subtitles(path)
    assert [(ln.text, ln.start, ln.end) for ln in lines] == [
        ("hello there", pytest.approx(10 / 30, abs=0.002), pytest.approx(40 / 30, abs=0.002)),
        ("how are you", pytest.approx(1.5, abs=0.002), pytest.approx(85 / 30, abs=0.002)),
        ("bye", pytest.approx(100 / 30, abs=0.002), pytest.approx(4.0, abs=0.002))]
    assert caption_lines(project)[1].words[2].start == pytest.approx((45 + 22) / 30)
    empty = Project(fps=FPS, timeline=Timeline((project.timeline.tracks[0],)))
    back = import_subtitles(empty, path, style="bold_caps")
    # placed as captions are (a line stays up over a short gap: 40 -> 45)
    assert texts(back) == [("hello there", 10, 45), *texts(project)[1:]]
    assert caption_style(back) == "bold_caps"
    # importing replaces the captions there were and keeps their style
    srt = tmp_path / "new.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nnew words\n")
    replaced = import_subtitles(project, srt)
    assert texts(replaced) == [("new words", 30, 60)] and caption_style(replaced) == "highlight"


def test_undo_names_quote_the_line():
    assert quoted("hello   world") == "“hello world”"
    assert quoted("a very long caption line that goes on and on") == "“a very long caption lin…”"


def test_a_project_without_sound_says_so(project):
    silent = Project(name="Silent", fps=FPS, timeline=Timeline((project.timeline.tracks[1],)))
    with pytest.raises(CaptionError, match="Silent: no sound to caption .nothing: no clip or voice-over"):
        project_captions(silent)
