"""SRT and WebVTT: written and read back, real-world files read tolerantly, broken ones refused
in one line naming the file and the line."""
from __future__ import annotations

import pytest

from studio.captions import CaptionError, CaptionLine, Word, group_lines, read_subtitles, write_subtitles
from studio.captions.alignment import ESTIMATED


@pytest.fixture
def lines() -> list[CaptionLine]:
    words = [Word("Hey", 0.8, 1.0), Word("everyone,", 1.02, 1.5), Word("today", 1.9, 2.2), Word("I'm", 2.25, 2.4),
             Word("testing", 2.45, 2.9), Word("3 <mics> & more", 3.0, 3.6), Word("Привет 👋", 4.4, 3725.75)]
    return group_lines(words)


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".json"])
def test_written_captions_read_back_the_same(tmp_path, lines, suffix):
    path = write_subtitles(lines, tmp_path / f"out{suffix}")
    again = read_subtitles(path)
    assert [(c.text, c.start, c.end) for c in again] == [(c.text, c.start, c.end) for c in lines]
    if suffix == ".json":
        assert again == lines  # with every word's times


def test_srt_and_vtt_look_as_players_expect(tmp_path, lines):
    srt = write_subtitles(lines, tmp_path / "a.srt").read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,800 --> 00:00:01,500\nHey everyone,\n\n2\n")
    assert "01:02:05,750" in srt  # hours
    vtt = write_subtitles(lines, tmp_path / "a.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n00:00:00.800 --> 00:00:01.500\nHey everyone,\n")
    assert "3 &lt;mics&gt; &amp; more" in vtt


def test_vtt_word_times_come_back_as_words(tmp_path, lines):
    path = write_subtitles(lines, tmp_path / "words.vtt", words=True)
    assert "<00:00:02.250>I'm" in path.read_text(encoding="utf-8")
    again = read_subtitles(path)
    # (a one-word line carries no inline time: its word is its cue)
    assert len(again) == len(lines)
    for read, written in zip(again, lines):
        if len(written.words) > 1:
            assert [(w.text, w.start) for w in read.words] == [(w.text, w.start) for w in written.words]


REAL_WORLD_SRT = (
    "\ufeff1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> <font color=\"#ff0\">there</font>\r\n\r\n"
    "2\r\n00:00:03.2 --> 00:00:04,75 X1:10 X2:20\r\n{\\an8}Second &amp; line\r\nwrapped\r\n"
    "3\r\n00:00:05,000 --> 00:00:06,000\r\nno blank line before me\r\n\r\n\r\n"
    "00:00:07,000 --> 00:00:08,000\r\nno number\r\n"  # and no blank line at the end
)


def test_a_real_world_srt_reads(tmp_path):
    path = tmp_path / "messy.srt"
    path.write_bytes(REAL_WORLD_SRT.encode("utf-8"))
    got = read_subtitles(path)
    assert [(c.text, c.start, c.end) for c in got] == [
        ("Hello there", 1.0, 2.5), ("Second & line wrapped", 3.2, 4.75),
        ("no blank line before me", 5.0, 6.0), ("no number", 7.0, 8.0)]
    # a file without word times gets its words spread over the cue, marked as estimated
    assert [w.text for w in got[1].words] == ["Second", "&", "line", "wrapped"]
    assert got[1].words[0].start == 3.2 and got[1].words[-1].end == 4.75
    assert all(w.confidence == ESTIMATED for w in got[1].words)


def test_a_real_world_vtt_reads(tmp_path):
    text = ("WEBVTT - made by a phone app\nKind: captions\nLanguage: en\n\n"
            "NOTE this is a comment\nthat spans lines\n\n"
            "STYLE\n::cue { color: yellow }\n\n"
            "intro\n00:01.000 --> 00:02.000 align:start position:10%\n<v Sam>Hi <c.yellow>you</c></v>\n\n"
            "00:00:02.500 --> 00:00:03.000\nsecond&nbsp;one")
    path = tmp_path / "phone.vtt"
    path.write_text(text, encoding="utf-8")
    assert [(c.text, c.start, c.end) for c in read_subtitles(path)] == [("Hi you", 1.0, 2.0), ("second one", 2.5, 3.0)]


def test_an_old_windows_srt_reads(tmp_path):
    path = tmp_path / "latin.srt"
    path.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nCafé crème\n".encode("cp1252"))
    assert read_subtitles(path)[0].text == "Café crème"


@pytest.mark.parametrize("content, expected", [
    ("1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:0a,000 --> 00:00:04,000\nbad\n", "broken.srt: line 6: "),
    ("1\n00:00:05,000 --> 00:00:02,000\nbackwards\n", "broken.srt: line 2: the cue ends"),
    ("1\n00:00:01,000 --> 00:01:75,000\nseventy-five seconds\n", "broken.srt: line 2: "),
    ("just some text\nwith no times\n", "broken.srt: line 1: "),
    ("", "broken.srt: no captions in it"),
    ("1\n00:00:01,000 --> 00:00:02,000\n\n", "broken.srt: its cues have no text"),
])
def test_broken_files_are_one_line_errors_with_the_line(tmp_path, content, expected):
    path = tmp_path / "broken.srt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CaptionError) as err:
        read_subtitles(path)
    message = str(err.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_files_that_are_not_subtitles_are_one_line_errors(tmp_path):
    binary = tmp_path / "clip.srt"
    binary.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(100))
    for path, expected in [(binary, "clip.srt: not a subtitle file"), (tmp_path / "gone.vtt", "gone.vtt: file not found"),
                           (tmp_path, "is a folder")]:
        with pytest.raises(CaptionError, match=expected) as err:
            read_subtitles(path)
        assert "\n" not in str(err.value)
    bad_json = tmp_path / "c.json"
    bad_json.write_text('{"lines": [', encoding="utf-8")
    with pytest.raises(CaptionError, match=r"c.json: line 1: not valid JSON"):
        read_subtitles(bad_json)
    with pytest.raises(CaptionError, match="written as .srt, .vtt or .json"):
        write_subtitles([], tmp_path / "x.txt")
