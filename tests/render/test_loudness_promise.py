"""The loudness the export reports is what the file plays, and the file keeps the platform ceiling
(true peak <= -1 dBTP) on hard mixes: several overlapping beds, clipping-level clip audio,
voice-over ducking and speed-changed audio — measured by an independent meter (ffmpeg ebur128)."""
from __future__ import annotations

import re
import subprocess
from fractions import Fraction

import imageio_ffmpeg
import numpy as np
import pytest

from studio.model import Clip, Project, SoundItem, Timeline, Track
from studio.render.export import ExportOptions, export_project

FAST = ExportOptions(quality="draft", preflight=False, cover=False)


def ebur128(path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's own meter."""
    err = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path),
                          "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True).stderr
    summary = err[err.rfind("Summary:"):]
    return (float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
            float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1)))


def beds(frames: int, names=("night-trap", "epic-rise", "funk-strut"), volume_db: float = 6.0) -> list[Track]:
    return [Track("audio", (SoundItem(f"bed-{n}", name, 0, frames, volume_db=volume_db),))
            for n, name in enumerate(names)]


@pytest.fixture(scope="module")
def loud_clip(tmp_path_factory, mediagen):
    folder = tmp_path_factory.mktemp("loud")
    return mediagen.write_clip(folder / "loud.mp4", seconds=3.0, tone_hz=3000.0)


@pytest.mark.parametrize("mix", ["three-beds", "clipping-clip-and-beds", "voiceover-ducking", "speed-changed"])
def test_export_keeps_the_true_peak_ceiling_and_reports_what_it_wrote(mix, loud_clip, tmp_path):
    frames = 90
    clip = Clip("c", str(loud_clip), 0, frames, source_frames=frames, volume=16.0 if mix != "three-beds" else 0.0)
    tracks = [Track("video", (clip,))]
    if mix == "speed-changed":
        tracks = [Track("video", (Clip("c", str(loud_clip), 0, 60, source_frames=90, speed=Fraction(3, 2),
                                       volume=16.0),))]
        frames = 60
    if mix == "voiceover-ducking":
        tracks.append(Track("audio", (SoundItem("vo", str(loud_clip), 0, frames, volume_db=12.0, role="voiceover"),)))
    tracks += beds(frames)
    project = Project("loud", fps=Fraction(30), timeline=Timeline(tuple(tracks)))
    result = export_project(project, tmp_path / "loud.mp4", FAST)
    lufs, peak = ebur128(tmp_path / "loud.mp4")
    assert peak <= -1.0, (mix, peak)
    assert abs(result.loudness["true_peak_dbtp"] - peak) <= 0.3, (result.loudness, peak)
    assert abs(result.loudness["integrated_lufs"] - lufs) <= 0.3, (result.loudness, lufs)
    assert -15.0 <= lufs <= -13.0


def test_the_demo_with_a_second_music_bed_keeps_the_ceiling(tmp_path):
    import dataclasses

    from studio.demo import build_demo_project
    from studio.model import load_project

    project = load_project(build_demo_project(tmp_path / "demo"))
    bed = Track("audio", (SoundItem("bed-2", "night-trap", 0, project.duration),))
    project = dataclasses.replace(project, timeline=dataclasses.replace(
        project.timeline, tracks=project.timeline.tracks + (bed,)))
    result = export_project(project, tmp_path / "demo2.mp4", FAST)
    lufs, peak = ebur128(tmp_path / "demo2.mp4")
    assert peak <= -1.0 and abs(result.loudness["true_peak_dbtp"] - peak) <= 0.3, (result.loudness, peak)
