"""`studio quick A B --layout duet|react|pip`: two media in one short, checked on decoded frames."""
from __future__ import annotations

import cv2
import numpy as np
import pytest


def _two_sources(tmp_path, mediagen):
    red = mediagen.write_clip(tmp_path / "red.mp4", size=(180, 320), seconds=2.0,
                              picture=lambda i: mediagen.solid(180, 320, (220, 30, 30)))
    blue = mediagen.write_clip(tmp_path / "blue.mp4", size=(180, 320), seconds=3.0, audio=None,
                               picture=lambda i: mediagen.solid(180, 320, (30, 40, 220)))
    return red, blue


def _mean(rgb, ys, xs):
    return rgb[ys, xs].reshape(-1, 3).mean(0)


@pytest.mark.parametrize("layout", ["duet", "react", "pip"])
def test_quick_layout_places_both_media(tmp_path, mediagen, layout):
    red, blue = _two_sources(tmp_path, mediagen)
    out = tmp_path / f"{layout}.mp4"
    r = mediagen.run_studio("quick", str(red), str(blue), "--layout", layout, "-o", str(out), "--quality", "draft",
                            "--no-check", "--json")
    assert r.returncode == 0, r.stderr
    info = mediagen.decode_info(out)
    assert (info.width, info.height) == (1080, 1920)
    assert abs(info.video_duration - 2.0) < 0.05  # as long as the first medium; the longer second is cut
    frame = cv2.resize(mediagen.decode_frames(out, [30])[30], (108, 192), interpolation=cv2.INTER_AREA)
    red_c, blue_c = np.array((220, 30, 30)), np.array((30, 40, 220))
    where = {"duet": ((slice(10, 180), slice(5, 49)), (slice(10, 180), slice(59, 103))),
             "react": ((slice(5, 90), slice(5, 103)), (slice(102, 187), slice(5, 103))),
             "pip": ((slice(120, 185), slice(5, 100)), (slice(36, 56), slice(70, 86)))}[layout]
    assert np.abs(_mean(frame, *where[0]) - red_c).max() < 12
    assert np.abs(_mean(frame, *where[1]) - blue_c).max() < 12


def test_quick_layout_needs_the_right_number_of_media(tmp_path, mediagen):
    red, _ = _two_sources(tmp_path, mediagen)
    r = mediagen.run_studio("quick", str(red), "--layout", "duet", "-o", str(tmp_path / "x.mp4"))
    assert r.returncode == 3
    assert mediagen.error_lines(r.stderr) == ["studio: error: --layout duet lays out 2 media side by side in one "
                                              "short; got 1"]
    assert not (tmp_path / "x.mp4").exists()
