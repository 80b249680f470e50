"""Speed ramps on decoded frames: a numbered clip (each frame shows its number) exported with keyed
speed shows, at every timeline frame, the source frame the speed curve's integral reaches, and
the speed read off the decoded numbers around each key is the key's speed."""
from __future__ import annotations

from fractions import Fraction

import pytest

from numbered_media import read_number, write_numbered
from studio.model import Clip, Project, Timeline, Track
from studio.model.keys import Key, preset_keys, speed_at
from studio.render.export import ExportOptions, export_project

W, H = 288, 512


def _export(tmp_path, mediagen, clip: Clip) -> list[int]:
    project = Project(name="ramp", width=W, height=H, fps=Fraction(30), timeline=Timeline((Track("video", (clip,)),)))
    out = tmp_path / "ramp.mp4"
    export_project(project, out, ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False))
    frames = mediagen.decode_frames(out)
    return [read_number(frames[i]) for i in range(len(frames))]


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    return write_numbered(tmp_path_factory.mktemp("ramp") / "numbered.mp4", 400, size=(144, 256), gop=30)


def test_keyed_ramp_reaches_the_integral_and_has_each_keys_speed(tmp_path, mediagen, numbered):
    keys = (Key("speed", 0, 4.0), Key("speed", 20, 0.5, "hold"), Key("speed", 40, 0.5), Key("speed", 60, 2.0))
    clip = Clip("clip-1", str(numbered), 0, 80, source_in=5, source_frames=400, keys=keys)
    shown = _export(tmp_path, mediagen, clip)
    assert len(shown) == 80
    for f in range(80):
        assert abs(shown[f] - float(clip.source_frame(f))) <= 1.0, (f, shown[f], float(clip.source_frame(f)))
    for k in (0, 20, 40, 60):
        lo, hi = max(0, k - 4), min(79, k + 4)
        measured = (shown[hi] - shown[lo]) / (hi - lo)
        expected = sum(speed_at(keys, clip.speed, f + 0.5) for f in range(lo, hi)) / (hi - lo)
        assert abs(measured - expected) <= 0.3, (k, measured, expected)
    assert shown[30] - shown[22] <= 5          # the slow middle: half speed for 8 frames
    assert shown[79] - shown[71] >= 14         # then double speed


def test_bullet_preset_slows_down_in_the_middle(tmp_path, mediagen, numbered):
    clip = Clip("clip-1", str(numbered), 0, 60, source_frames=400, keys=preset_keys("bullet", 60))
    shown = _export(tmp_path, mediagen, clip)
    edge = (shown[8] - shown[0]) / 8
    middle = (shown[34] - shown[26]) / 8
    assert edge > 2.0 and middle < 0.5
    assert abs(shown[-1] - float(clip.source_frame(59))) <= 1.0
