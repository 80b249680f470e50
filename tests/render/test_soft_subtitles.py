"""Soft subtitles: a project's Captions track exported as an MP4 mov_text track (decoded back with
PyAV's own mov_text decoder), listed in the sidecar, written as .srt beside the video, and left out
on request; pre-flight reads the track."""
from __future__ import annotations

import json
from fractions import Fraction

import av
import pytest

from studio.media.soft_subtitles import mp4_language, read_soft_subtitles
from studio.model import Clip, Project, TextItem, Timeline, Track, WordTime
from studio.render.export import ExportOptions, export_project
from studio.render.metadata import CAPTIONS_TRACK, caption_lines
from studio.render.preflight import PreflightReport, _check_subtitles
from studio.render.presets import get_preset

FPS = 30
FRAMES = 45  # 1.5 s
TEXTS = ["Hello {world} \\N", "ünïcode ✓ 日本 🎤", "cut at the end"]


def captioned(source, hidden: bool = False) -> Project:
    lines = (TextItem("caption-1", 3, 12, TEXTS[0], style="highlight", y=0.7,
                      words=(WordTime("Hello", 0, 5), WordTime("{world}", 5, 10), WordTime("\\N", 10, 12))),
             TextItem("caption-2", 15, 15, TEXTS[1], style="highlight", y=0.7),
             TextItem("caption-3", 40, 5, TEXTS[2], style="highlight", y=0.7))
    timeline = Timeline((Track("video", (Clip("c1", str(source), 0, FRAMES, source_frames=60),)),
                         Track("overlay", lines, name=CAPTIONS_TRACK, hidden=hidden)))
    return Project(name="subs", fps=Fraction(FPS), timeline=timeline)


def decoded_cues(path) -> list[tuple[str, float, float]]:
    """(text, start, end) of every mov_text cue, through FFmpeg's decoder: the text it hands to an
    ASS renderer (the event's last field; a renderer would then read "{...}" as an override block,
    FFmpeg's decoder escapes nothing, but the sample itself holds the text exactly)."""
    out = []
    with av.open(str(path)) as c:
        stream = c.streams.subtitles[0]
        assert stream.codec_context.name == "mov_text"
        for packet in c.demux(stream):
            if packet.pts is None or packet.size <= 2:
                continue
            subs = stream.codec_context.decode2(packet)
            text = "".join(s.ass.decode("utf-8").split(",", 8)[8] for s in subs) if subs else ""
            start = float(packet.pts * packet.time_base)
            out.append((text, start, start + float(packet.duration * packet.time_base)))
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tone_clip):
    folder = tmp_path_factory.mktemp("soft-subs")
    out = folder / "subs.mp4"
    result = export_project(captioned(tone_clip), out, ExportOptions(quality="draft", cover=False,
                                                                     captions_language="de",
                                                                     side_files=((".srt", b"1\n"),)))
    return out, result


def test_the_captions_become_a_mov_text_track_with_their_text_and_times(exported):
    out, result = exported
    with av.open(str(out)) as c:
        assert [s.type for s in c.streams] == ["video", "audio", "subtitle"]
        assert c.streams.subtitles[0].metadata["language"] == "deu"
    cues = decoded_cues(out)
    # exactly as written: no ASS override block or escape eaten, emoji and CJK kept
    assert [text for text, _, _ in cues] == TEXTS
    assert [cue.text for cue in read_soft_subtitles(out)[0].cues] == TEXTS
    expected = [(3 / FPS, 15 / FPS), (15 / FPS, 30 / FPS), (40 / FPS, FRAMES / FPS)]
    for (_, start, end), (want_start, want_end) in zip(cues, expected):
        assert abs(start - want_start) <= 0.001 and abs(end - want_end) <= 0.001
    assert len(cues) == 3
    assert result.extra["subtitles"] == "deu" and result.extra["captions"] == 3


def test_the_sidecar_lists_the_captions_with_their_words(exported):
    out, _ = exported
    side = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [c["text"] for c in side["captions"]] == TEXTS
    first, second, last = side["captions"]
    assert first["word_times"] == "spoken" and [w["text"] for w in first["words"]] == ["Hello", "{world}", "\\N"]
    assert first["words"][1]["start"] == pytest.approx(8 / FPS, abs=0.001)
    assert second["word_times"] == "estimated" and len(second["words"]) == 4
    assert second["words"][0]["start"] == second["start"] and second["words"][-1]["end"] == second["end"]
    assert last["end"] == pytest.approx(FRAMES / FPS, abs=0.001)
    assert side["encode"]["subtitles"] == "mov_text deu"


def test_preflight_reads_the_track_and_passes(exported):
    out, result = exported
    report = result.preflight
    assert report["passed"]
    assert report["measured"]["subtitles"] == [{"codec": "mov_text", "language": "deu", "cues": 3}]
    assert any(f["code"] == "soft_subtitles" for f in report["findings"])
    assert not any(f["code"] == "subtitles_differ" for f in report["findings"])


def test_preflight_warns_when_the_track_is_not_the_projects_captions(exported, tone_clip):
    out, _ = exported
    other = captioned(tone_clip)
    track = other.timeline.tracks[1]
    other = Project(name="x", fps=other.fps, timeline=Timeline((other.timeline.tracks[0],
                    Track("overlay", track.items[:2], name=CAPTIONS_TRACK))))
    report = PreflightReport("subs.mp4", "tiktok")
    _check_subtitles(report, out, other, FRAMES / FPS, get_preset("tiktok"))
    assert [f.code for f in report.findings if f.level == "warning"] == ["subtitles_differ"]


def test_side_files_are_published_with_the_video(exported):
    out, result = exported
    assert out.with_suffix(".srt").read_bytes() == b"1\n"
    assert result.extra["files"] == [out.with_suffix(".srt")]
    assert not [p for p in out.parent.iterdir() if "studio-part" in p.name]


@pytest.mark.parametrize("how", ["option", "hidden track"])
def test_no_subtitle_track_when_turned_off_or_hidden(how, tmp_path, tone_clip):
    out = tmp_path / "plain.mp4"
    project = captioned(tone_clip, hidden=how == "hidden track")
    export_project(project, out, ExportOptions(quality="draft", cover=False, preflight=False,
                                               soft_subtitles=how != "option"))
    with av.open(str(out)) as c:
        assert [s.type for s in c.streams] == ["video", "audio"]
    side = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert len(side["captions"]) == (3 if how == "option" else 0)  # a hidden track is not shown at all
    assert side["encode"]["subtitles"] is None


def test_a_project_without_captions_has_no_subtitle_track_and_empty_list(tone_clip):
    project = captioned(tone_clip)
    project = Project(name="p", fps=project.fps, timeline=Timeline(project.timeline.tracks[:1]))
    assert caption_lines(project) == []


def test_the_track_name_is_the_captions_packages():
    from studio.captions.timeline import TRACK_NAME

    assert CAPTIONS_TRACK == TRACK_NAME


def test_language_tags():
    assert [mp4_language(x) for x in ("en", "en-US", "de_AT", "eng", "ger", "zh", None, "auto", "xx", "?")] == \
        ["eng", "eng", "deu", "eng", "deu", "zho", "und", "und", "und", "und"]
