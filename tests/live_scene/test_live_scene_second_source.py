"""Second sources on their own threads: a generated file looping at its own rate, a missing
webcam's one-line error, and the X11 screen of an Xvfb started here."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from numbered_media import read_number, write_numbered

from studio.live.second_source import SecondSourceError, cover_scale, open_second_source
from studio.model.live_scene import SecondSource

def wait_for(condition, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value is not None and value is not False:
            return value
        time.sleep(0.01)
    raise AssertionError("timed out")


def test_file_loops_at_its_own_rate_scaled_to_cover_the_box(tmp_path):
    path = write_numbered(tmp_path / "loop.mp4", 15, fps=30, size=(144, 256))  # half a second
    with open_second_source(SecondSource("file", str(path)), (72, 72)) as feed:
        first = wait_for(feed.latest)
        # (72, 72) is covered by 72 x 128 (aspect kept), the smallest even size that does
        assert first.shape == (128, 72, 3)
        seen = []
        deadline = time.monotonic() + 1.3
        while time.monotonic() < deadline:
            seen.append(read_number(feed.latest()))
            time.sleep(0.02)
        assert feed.ended is None
    # it played 0..14 and began again (the numbers went back) at about its own rate
    assert any(b < a for a, b in zip(seen, seen[1:])), seen
    assert set(seen) <= set(range(15)) and len(set(seen)) >= 8
    assert 25 <= feed.frames <= 60  # 1.3 s at 30 fps, give or take the start


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(SecondSourceError, match=r"^second source gone\.mp4: no such video file$"):
        open_second_source(SecondSource("file", str(tmp_path / "gone.mp4")))
    (tmp_path / "text.mp4").write_text("not a video")
    with pytest.raises(SecondSourceError, match=r"^second source text\.mp4: ") as err:
        open_second_source(SecondSource("file", str(tmp_path / "text.mp4")))
    assert "\n" not in str(err.value)


@pytest.mark.skipif(any(n.startswith("video") for n in os.listdir("/dev")), reason="this machine has a camera")
def test_second_camera_without_a_webcam_is_one_clear_line():
    no_camera = r"^second camera 1: no camera found \(this machine has no /dev/video\* devices\)$"
    with pytest.raises(SecondSourceError, match=no_camera):
        open_second_source(SecondSource("camera", "1"))


def test_second_camera_spec_must_be_a_device():
    with pytest.raises(SecondSourceError, match=r"^second camera 'front': not a camera"):
        open_second_source(SecondSource("camera", "front"))


def test_cover_scale():
    assert cover_scale(1920, 1080, (360, 640)) == (1138, 640)
    assert cover_scale(640, 480, (1280, 720)) == (640, 480)  # never enlarged
    assert cover_scale(640, 480, None) == (640, 480)


@pytest.fixture(scope="module")
def xvfb():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    # -retro: the classic black and white weave instead of a black root window, pixels to assert on;
    # -displayfd: Xvfb takes a free display number and says which (tests may run side by side)
    proc = subprocess.Popen(["Xvfb", "-displayfd", "1", "-retro", "-screen", "0", "640x480x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        number = proc.stdout.readline().strip()  # written once the server is ready
        if not number.isdigit():
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(5)


def test_screen_capture_shows_the_x_screen(xvfb):
    with open_second_source(SecondSource("screen", xvfb)) as feed:
        rgb = wait_for(feed.latest)
        assert rgb.shape == (480, 640, 3)
        wait_for(lambda: feed.frames >= 5 or None)
        grey = feed.latest().mean(axis=2)
        # the weave: one pixel in four white, the rest black (the cursor aside)
        assert grey.min() == 0 and grey.max() == 255 and 0.23 < (grey > 128).mean() < 0.27
    frames = feed.frames
    time.sleep(0.2)
    assert feed.frames == frames  # closed: the thread stopped


def test_screen_capture_scales_to_cover_the_box(xvfb, monkeypatch):
    monkeypatch.setenv("DISPLAY", xvfb)  # '' = $DISPLAY
    with open_second_source(SecondSource("screen", ""), (160, 90)) as feed:
        assert wait_for(feed.latest).shape == (120, 160, 3)


def test_screen_capture_without_a_display_is_one_clear_line(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(SecondSourceError, match=r"^screen capture: no X display \(\$DISPLAY is not set"):
        open_second_source(SecondSource("screen", ""))
    with pytest.raises(SecondSourceError, match=r"^screen capture :5997: cannot open the X display \(.+\)$"):
        open_second_source(SecondSource("screen", ":5997"))
    with pytest.raises(SecondSourceError, match=r"^screen capture 'desktop': not an X display"):
        open_second_source(SecondSource("screen", "desktop"))
