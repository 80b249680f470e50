"""`studio captions`: SRT/VTT/JSON out, a project's caption track, subtitle files in, and bad input
as one line with exit 3."""
from __future__ import annotations

import json

import pytest

from studio.captions import TRACK_NAME, read_subtitles
from studio.cli import main
from studio.model import load_project

from spoken import write_wav


@pytest.fixture
def script_file(talk, tmp_path):
    path = tmp_path / "script.txt"
    path.write_text(talk.text + "\n", encoding="utf-8")
    return path


def first_word_time(talk) -> float:
    return talk.speech.words[0][1]


def test_captions_of_a_video_with_its_script_as_srt(talk, script_file, tmp_path, capsys):
    out = tmp_path / "talk.srt"
    assert main(["captions", str(talk.video), "--script", str(script_file), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "pocketsphinx" in err and "aligned to the script" in err
    lines = read_subtitles(out)
    assert lines[0].text.startswith("Hey")
    assert abs(lines[0].start - first_word_time(talk)) <= 0.1  # through AAC in an MP4, still on time
    assert " ".join(line.text for line in lines) == talk.text
    assert all(len(line.words) <= 3 and len(line.text) <= 32 for line in lines)


def test_recognised_captions_are_printed_as_srt_with_the_engine_named(talk, tmp_path, capsys):
    clip = write_wav(tmp_path / "short.wav", talk.speech.samples[: int(4.5 * talk.speech.rate)], talk.speech.rate)
    assert main(["captions", str(clip)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("1\n00:00:0")
    assert "recognised by pocketsphinx" in captured.err
    assert "whisper not used: " in captured.err and "--download-model" in captured.err
    assert "listened to: the sound of short.wav" in captured.err


def test_a_project_gets_a_caption_track(talk, script_file, tmp_path, capsys):
    project_file = tmp_path / "talk.studio"
    assert main(["captions", str(talk.video), "--script", str(script_file), "-o", str(project_file)]) == 0
    project = load_project(project_file)
    captions = [t for t in project.timeline.tracks if t.name == TRACK_NAME]
    assert len(captions) == 1 and captions[0].kind == "overlay"
    items = captions[0].items
    assert items[0].content.startswith("Hey")
    assert abs(items[0].start - first_word_time(talk) * 30) <= 3  # frames
    assert all(i.style == "word_highlight" and 0.65 <= i.y <= 0.75 for i in items)
    assert project.timeline.tracks[0].items[0].source.endswith("talk.mp4")  # the video is the clip
    # made again from the project itself, written into it: still one caption track, listened to the clip
    capsys.readouterr()
    assert main(["captions", str(project_file), "--script", str(script_file), "--into-project", "--style",
                 "classic"]) == 0
    assert "the clips' own sound" in capsys.readouterr().err
    again = [t for t in load_project(project_file).timeline.tracks if t.name == TRACK_NAME]
    assert len(again) == 1 and [i.content for i in again[0].items] == [i.content for i in items]
    assert {i.style for i in again[0].items} == {"classic"}


def test_json_lists_lines_with_word_times(talk, script_file, capsys):
    assert main(["captions", str(talk.wav), "--script", str(script_file), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["engine"] == "pocketsphinx" and result["method"] == "aligned to the script"
    words = [w for line in result["lines"] for w in line["words"]]
    assert [w["text"] for w in words] == talk.text.split()
    assert all(w["start"] < w["end"] for w in words)


def test_subtitle_files_convert_and_go_into_a_project(talk, script_file, tmp_path, capsys):
    srt = tmp_path / "in.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there\n\n2\n00:00:02,500 --> 00:00:03,000\nbye\n",
                   encoding="utf-8")
    vtt = tmp_path / "out.vtt"
    assert main(["captions", str(srt), "-o", str(vtt)]) == 0
    assert [(c.text, c.start, c.end) for c in read_subtitles(vtt)] == [("Hello there", 1.0, 2.0), ("bye", 2.5, 3.0)]
    project_file = tmp_path / "p.studio"
    assert main(["captions", str(talk.video), "--script", str(script_file), "-o", str(project_file)]) == 0
    assert main(["captions", str(project_file), "--import", str(srt), "--into-project"]) == 0
    track = [t for t in load_project(project_file).timeline.tracks if t.name == TRACK_NAME][0]
    assert [(i.content, i.start, i.end) for i in track.items] == [("Hello there", 30, 60), ("bye", 75, 90)]


@pytest.mark.parametrize("case", ["broken srt", "whisper", "overwrite", "missing script", "bad output"])
def test_bad_input_is_one_line_and_exit_3(case, talk, tmp_path, capsys, monkeypatch):
    broken = tmp_path / "bad.srt"
    broken.write_text("1\n00:00:01,000 --> 00:00:0x,000\nhello\n", encoding="utf-8")
    args, expected = {
        "broken srt": (["captions", str(broken), "-o", str(tmp_path / "out.vtt")], "bad.srt: line 2: "),
        "whisper": (["captions", str(talk.wav), "--engine", "whisper", "-o", str(tmp_path / "out.vtt")],
                    "whisper cannot run: "),
        "overwrite": (["captions", str(broken), "-o", str(broken)], "would overwrite the input bad.srt"),
        "missing script": (["captions", str(talk.wav), "--script", "notes.txt", "-o", str(tmp_path / "out.vtt")],
                           "--script notes.txt: file not found"),
        "bad output": (["captions", str(talk.wav), "-o", str(tmp_path / "out.mp4")], "out.mp4: write captions as"),
    }[case]
    monkeypatch.chdir(tmp_path)
    assert main(args) == 3
    err = capsys.readouterr().err
    assert err.startswith("studio: error: ") and expected in err, err
    assert err.count("\n") == 1
    assert not (tmp_path / "out.vtt").exists()
