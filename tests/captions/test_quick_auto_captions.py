"""`studio quick --auto-captions` on a real eSpeak speech clip: the captions are in the picture, in
a mov_text subtitle track (decoded back with PyAV) at the words' times, in the sidecar and an .srt;
`studio export --no-soft-subtitles` leaves the track out; media with nothing said in them still
make a short, without captions, and say so."""
from __future__ import annotations

import json
from fractions import Fraction
from types import SimpleNamespace

import av
import numpy as np
import pytest

from studio.captions import caption_placement, read_subtitles
from studio.captions.quick_step import AutoCaptions, caption_quick_project
from studio.cli import main
from studio.quick import build_quick_project

from spoken import SCRIPT, write_talking_video

PLAIN = np.array((60, 110, 170))  # the talking video's picture (spoken.write_talking_video)


def mov_text_cues(path) -> list[tuple[str, float, float]]:
    """(text, start, end) of the file's mov_text cues, as FFmpeg's decoder gives them."""
    out = []
    with av.open(str(path)) as c:
        if not c.streams.subtitles:
            return out
        stream = c.streams.subtitles[0]
        assert stream.codec_context.name == "mov_text"
        for packet in c.demux(stream):
            if packet.pts is None or packet.size <= 2:
                continue  # the empty samples between cues
            subs = stream.codec_context.decode2(packet)
            start = float(packet.pts * packet.time_base)
            out.append(("".join(s.dialogue.decode("utf-8") for s in subs), start,
                        start + float(packet.duration * packet.time_base)))
    return out


def frames_at(path, seconds: list[float]) -> list[np.ndarray]:
    """RGB frames at these times (decoding stops after the last one)."""
    wanted = {round(t * 30) for t in seconds}
    frames = {}
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        stream.thread_type = "AUTO"
        for f in c.decode(stream):
            index = round(float(f.time) * 30)
            if index in wanted:
                frames[index] = f.to_ndarray(format="rgb24")
            if len(frames) == len(wanted):
                break
    return [frames[round(t * 30)] for t in seconds]


def caption_band(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    x, y, width = caption_placement("tiktok", w, h)
    return rgb[int((y - 0.04) * h):int((y + 0.04) * h), int((x - width / 2) * w):int((x + width / 2) * w)]


@pytest.fixture(scope="module")
def short_talk(espeak, tmp_path_factory) -> SimpleNamespace:
    """The first sentence of SCRIPT spoken (6 s) as a small portrait video, and its script file."""
    folder = tmp_path_factory.mktemp("quick-talk")
    speech = espeak.speech(SCRIPT[:1], "en-us", 165)
    script = folder / "script.txt"
    script.write_text(speech.text + "\n", encoding="utf-8")
    return SimpleNamespace(video=write_talking_video(folder / "talk.mp4", speech), speech=speech, script=script,
                           folder=folder)


@pytest.fixture(scope="module")
def quick_run(short_talk):
    """One `studio quick --auto-captions --script` run (pre-flight on), then the saved project
    exported again with --no-soft-subtitles."""
    import contextlib
    import io

    def run(*args: str) -> tuple[int, str, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(list(args))
        return code, stdout.getvalue(), stderr.getvalue()

    out, again = short_talk.folder / "short.mp4", short_talk.folder / "again.mp4"
    project = short_talk.folder / "short.studio"
    code, printed, err = run("quick", str(short_talk.video), "--auto-captions", "--script", str(short_talk.script),
                             "--quality", "draft", "--captions-file", "srt", "--save-project", str(project),
                             "-o", str(out), "--json")
    code_again, _, _ = run("export", str(project), "-o", str(again), "--no-soft-subtitles", "--no-check",
                           "--quality", "draft", "--json")
    return SimpleNamespace(code=code, summary=json.loads(printed) if code == 0 else None, err=err, out=out,
                           again=again, code_again=code_again, project=project)


def test_the_short_carries_its_captions_as_a_mov_text_track_at_the_words_times(quick_run, short_talk):
    assert quick_run.code == 0, quick_run.err
    cues = mov_text_cues(quick_run.out)
    assert " ".join(text for text, _, _ in cues) == short_talk.speech.text
    first_word = short_talk.speech.words[0][1]
    assert abs(cues[0][1] - first_word) <= 0.1
    sidecar = json.loads(quick_run.out.with_suffix(".json").read_text(encoding="utf-8"))
    listed = sidecar["captions"]
    assert [c["text"] for c in listed] == [text for text, _, _ in cues]
    for (_, start, end), line in zip(cues, listed):  # the track is the caption items, to the frame
        assert abs(start - line["start"]) <= 1 / 30 and abs(end - line["end"]) <= 1 / 30
    with av.open(str(quick_run.out)) as c:
        assert c.streams.subtitles[0].metadata["language"] == "eng"


def test_the_sidecar_lists_each_captions_words_with_their_times(quick_run, short_talk):
    listed = json.loads(quick_run.out.with_suffix(".json").read_text(encoding="utf-8"))["captions"]
    words = [w for line in listed for w in line["words"]]
    assert [w["text"] for w in words] == short_talk.speech.text.split()
    assert all(line["word_times"] == "spoken" for line in listed)
    known = [(i, t) for i, (_, t) in enumerate(short_talk.speech.words) if t is not None]
    close = sum(abs(words[i]["start"] - t) <= 0.1 for i, t in known)
    assert close >= 0.8 * len(known)


def test_the_captions_are_in_the_picture(quick_run):
    cues = mov_text_cues(quick_run.out)
    mid = [(start + end) / 2 for _, start, end in cues]
    before, *during = frames_at(quick_run.out, [0.3, *mid])  # nothing is said before 0.8 s
    flat = caption_band(before).astype(int)
    assert np.abs(flat - PLAIN).max() <= 12  # without a caption the band is the plain picture
    for frame in during:
        band = caption_band(frame).astype(int)
        assert (np.abs(band - PLAIN).max(axis=2) > 60).mean() > 0.02  # a caption line's letters


def test_preflight_passed_and_the_summary_says_what_was_captioned(quick_run):
    summary = quick_run.summary
    assert summary["preflight"]["passed"]
    assert summary["preflight"]["measured"]["subtitles"][0]["codec"] == "mov_text"
    captions = summary["captions"]
    assert captions["lines"] >= 3 and captions["soft_subtitles"] == "eng"
    assert "aligned to the script by pocketsphinx" in captions["auto_captions"]
    srt = quick_run.out.with_suffix(".srt")
    assert captions["files"] == [str(srt)]
    assert [line.text for line in read_subtitles(srt)] == [text for text, _, _ in mov_text_cues(quick_run.out)]


def test_export_without_soft_subtitles_keeps_the_captions_in_the_picture_only(quick_run):
    assert quick_run.code_again == 0
    with av.open(str(quick_run.again)) as c:
        assert [s.type for s in c.streams] == ["video", "audio"]
    t = mov_text_cues(quick_run.out)[0]
    (with_track,), (without,) = frames_at(quick_run.out, [(t[1] + t[2]) / 2]), frames_at(quick_run.again, [(t[1] + t[2]) / 2])
    assert np.abs(caption_band(with_track).astype(int) - caption_band(without)).mean() < 2
    assert len(json.loads(quick_run.again.with_suffix(".json").read_text(encoding="utf-8"))["captions"]) > 0


def test_a_clip_without_sound_still_makes_a_short_without_captions(mediagen, tmp_path, capsys):
    clip = mediagen.write_clip(tmp_path / "mute.mp4", size=(180, 320), seconds=1.0, audio=None)
    out = tmp_path / "mute-short.mp4"
    assert main(["quick", str(clip), "--auto-captions", "--quality", "draft", "--no-check",
                 "--captions-file", "vtt", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "auto-captions: nothing to listen to" in err and "the short is made without captions" in err
    assert "no mute-short.vtt" in err and not out.with_suffix(".vtt").exists()
    with av.open(str(out)) as c:
        assert not c.streams.subtitles
    assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["captions"] == []


def test_a_sound_without_words_leaves_the_project_as_it_was(mediagen, tmp_path):
    clip = mediagen.write_clip(tmp_path / "tone.mp4", size=(180, 320), seconds=1.0, audio="tone")
    project = build_quick_project([str(clip)], fps=Fraction(30))
    heard: list[str] = []
    outcome = caption_quick_project(project, AutoCaptions(), heard.append)
    assert outcome.project is project and outcome.lines == 0
    assert heard[0].startswith("auto-captions: listening to 1.0 s of the clips' own sound")
    assert heard[-1] == outcome.message and "no words were heard" in outcome.message


@pytest.mark.parametrize("args, says", [
    (["--script", "hello there"], "--script and --caption-style go with --auto-captions"),
    (["--auto-captions", "--caption-style", "nope"], "unknown text style 'nope'"),
    (["--auto-captions", "--script", "missing.txt"], "--script missing.txt: file not found"),
])
def test_what_cannot_work_stops_before_the_export(args, says, mediagen, tmp_path, capsys):
    clip = mediagen.write_clip(tmp_path / "c.mp4", size=(180, 320), seconds=0.5, audio="tone")
    out = tmp_path / "never.mp4"
    assert main(["quick", str(clip), *args, "-o", str(out)]) == 3
    assert says in capsys.readouterr().err
    assert not out.exists()


def test_an_srt_imported_into_the_project_replaces_its_captions(quick_run, tmp_path, capsys):
    import shutil

    from studio.captions.timeline import caption_lines_of
    from studio.model import load_project

    project = shutil.copy(quick_run.project, tmp_path / "p.studio")
    srt = tmp_path / "mine.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,500\nMy own words\n\n2\n00:00:03,000 --> 00:00:04,000\nand more\n",
                   encoding="utf-8")
    assert main(["captions", str(project), "--import", str(srt), "--into-project"]) == 0
    assert caption_lines_of(load_project(project)) == [("My own words", 1.0, 2.5), ("and more", 3.0, 4.0)]
