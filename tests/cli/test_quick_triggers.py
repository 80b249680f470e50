"""`studio quick --effect ID@GESTURE`: an effect that only switches on while a hand shows a gesture."""
from __future__ import annotations

import json

import numpy as np


def test_gesture_trigger_from_the_command_line(tmp_path, mediagen):
    clip = mediagen.write_clip(tmp_path / "c.mp4", seconds=1.0, picture=lambda i: mediagen.solid(320, 240, (150, 150, 150)))
    runs = {}
    for label, spec in (("always", "vignette:strength=1.0"), ("on_palm", "vignette:strength=1.0@open_palm")):
        out = tmp_path / f"{label}.mp4"
        proc = mediagen.run_studio("quick", clip, "--effect", spec, "-o", out, "--quality", "draft", "--no-check",
                                   "--save-project", tmp_path / f"{label}.studio")
        assert proc.returncode == 0, proc.stderr[-1500:]
        runs[label] = mediagen.decode_frames(out, [15])[15].astype(int)
    saved = json.loads((tmp_path / "on_palm.studio").read_text())
    [ref] = saved["timeline"]["tracks"][0]["items"][0]["effects"]
    assert ref["id"] == "vignette" and ref["trigger"] == "open_palm"
    corner = (slice(0, 200), slice(0, 150))
    # no hand in the clip: the triggered vignette stays off, the plain one darkens the corners
    assert runs["always"][corner].mean() < runs["on_palm"][corner].mean() - 20
    assert np.abs(runs["on_palm"][corner].mean() - 150) < 12


def test_an_unknown_gesture_is_one_line(tmp_path, mediagen):
    clip = mediagen.write_clip(tmp_path / "c.mp4", seconds=1.0)
    proc = mediagen.run_studio("quick", clip, "--effect", "sparkles@wave", "-o", tmp_path / "o.mp4")
    lines = mediagen.error_lines(proc.stderr)
    assert proc.returncode == 3 and len(lines) == 1 and "trigger must be one of open_palm" in lines[0]
    assert not (tmp_path / "o.mp4").exists()
