"""The live scene renderer: decoded pixels at their places (overlays, pip, split halves, a cover
crop of the camera), a clock that changes only its own pixels, and scene switches between frames."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import Image

from studio.library.errors import LibraryError
from studio.live.scene import SceneRenderer, clock_text, cover_crop, prepare_scene
from studio.model.live_scene import LiveOverlay, LiveScene, Rect, SecondSource

BLUE, GREEN, RED, GREY = (20, 40, 200), (30, 200, 40), (250, 10, 10), (90, 90, 90)
W, H = 720, 1280
NOON = dt.datetime(2024, 5, 1, 12, 0, 0, 200_000)


def solid(w: int, h: int, rgb) -> np.ndarray:
    img = np.empty((h, w, 3), np.uint8)
    img[:] = rgb
    return img


def close_to(pixel, rgb, tol: int = 6) -> bool:
    return bool(np.all(np.abs(np.asarray(pixel, int) - np.asarray(rgb, int)) <= tol))


@pytest.fixture
def red_logo(tmp_path):
    path = tmp_path / "logo.png"
    Image.fromarray(solid(100, 100, RED)).save(path)
    return str(path)


def camera() -> np.ndarray:
    return solid(1280, 720, BLUE)


def screen() -> SecondSource:
    return SecondSource("file", "second.mp4")  # not opened by the renderer: it is handed pictures


def test_image_overlay_is_drawn_at_its_place(red_logo):
    scene = LiveScene("a", overlays=(LiveOverlay("image", x=0.25, y=0.75, width=0.2, source=red_logo),))
    out = SceneRenderer(scene, (W, H)).render(camera(), None, NOON)
    assert out.shape == (H, W, 3) and out.dtype == np.uint8
    # 0.2 of 720 = 144 px wide and (square) high, centred at (180, 960)
    assert close_to(out[960, 180], RED) and close_to(out[960 - 65, 180 - 65], RED)
    assert close_to(out[960, 180 + 80], BLUE) and close_to(out[960 - 80, 180], BLUE)
    assert close_to(out[100, 600], BLUE)
    half_see_through = SceneRenderer(LiveScene("a", overlays=(LiveOverlay(
        "image", x=0.25, y=0.75, width=0.2, source=red_logo, opacity=0.5),)), (W, H)).render(camera(), None, NOON)
    assert close_to(half_see_through[960, 180], [(r + b) / 2 for r, b in zip(RED, BLUE)], tol=3)


def test_text_overlay_draws_only_near_its_place():
    scene = LiveScene("a", overlays=(LiveOverlay("text", x=0.5, y=0.5, width=0.8, text="HELLO LIVE"),))
    out = SceneRenderer(scene, (W, H)).render(camera(), None, NOON)
    changed = np.any(out != camera_at_output(), axis=2)
    ys, xs = np.nonzero(changed)
    assert len(ys) > 500  # letters are drawn...
    assert ys.min() > 0.4 * H and ys.max() < 0.6 * H  # ...around the middle, nowhere else
    assert (out[changed].mean(axis=1) > 200).sum() > 200  # the classic style's white fill


def camera_at_output() -> np.ndarray:
    return solid(W, H, BLUE)


def test_camera_fills_the_output_by_cropping_its_sides():
    stripes = np.empty((720, 1280, 3), np.uint8)
    stripes[:, :400], stripes[:, 400:880], stripes[:, 880:] = RED, GREEN, BLUE
    out = SceneRenderer(LiveScene("a"), (W, H)).render(stripes, None, NOON)
    # a 9:16 cover crop of a 16:9 picture is its middle 405 columns: only the green stripe shows
    assert close_to(out[0, 0], GREEN) and close_to(out[-1, -1], GREEN) and close_to(out.mean(axis=(0, 1)), GREEN, 1)
    assert cover_crop(1280, 720, 720, 1280) == (437, 0, 405, 720)
    assert cover_crop(720, 1280, 1280, 720) == (0, 437, 720, 405)


def test_pip_shows_the_second_source_in_its_box():
    scene = LiveScene("a", layout="pip", second_source=screen(), pip=Rect(0.6, 0.05, 0.3, 0.2))
    renderer = SceneRenderer(scene, (W, H))
    out = renderer.render(camera(), solid(640, 480, GREEN), NOON)
    x0, y0, x1, y1 = 432, 64, 648, 320  # 0.6..0.9 of 720, 0.05..0.25 of 1280
    box = out[y0:y1, x0:x1]
    assert close_to(box.reshape(-1, 3).min(axis=0), GREEN) and close_to(box.reshape(-1, 3).max(axis=0), GREEN)
    outside = out.copy()
    outside[y0:y1, x0:x1] = BLUE
    assert np.all(outside == BLUE)
    # no second picture yet (a file still opening): the pip is hidden, the camera fills the frame
    assert np.all(renderer.render(camera(), None, NOON) == BLUE)


def test_split_puts_the_sources_on_top_and_bottom_in_portrait_left_and_right_in_landscape():
    scene = LiveScene("a", layout="split", second_source=screen())
    out = SceneRenderer(scene, (W, H)).render(camera(), solid(640, 480, GREEN), NOON)
    assert np.all(out[:H // 2] == BLUE) and np.all(out[H // 2:] == GREEN)
    wide = SceneRenderer(scene, (1280, 720)).render(solid(720, 1280, BLUE), solid(640, 480, GREEN), NOON)
    assert wide.shape == (720, 1280, 3)
    assert np.all(wide[:, :640] == BLUE) and np.all(wide[:, 640:] == GREEN)
    missing = SceneRenderer(scene, (W, H)).render(camera(), None, NOON)
    assert np.all(missing[:H // 2] == BLUE) and np.all(missing[H // 2:] == 0)
    assert np.all(SceneRenderer(LiveScene("b"), (W, H)).render(None, None, NOON) == 0)  # camera lost: black


def test_clock_changes_only_its_own_pixels_once_a_second(red_logo):
    scene = LiveScene("a", layout="pip", second_source=screen(), overlays=(
        LiveOverlay("clock", x=0.5, y=0.06, text="%H:%M:%S"),
        LiveOverlay("text", x=0.5, y=0.9, text="Ask me anything"),
        LiveOverlay("image", x=0.2, y=0.5, width=0.2, source=red_logo)))
    renderer = SceneRenderer(scene, (W, H), now=NOON)
    cam, second = camera(), solid(640, 480, GREEN)
    first = renderer.render(cam, second, NOON).copy()
    same_second = renderer.render(cam, second, NOON + dt.timedelta(seconds=0.5)).copy()
    next_second = renderer.render(cam, second, NOON + dt.timedelta(seconds=1)).copy()
    assert np.array_equal(first, same_second)
    changed = np.any(first != next_second, axis=2)
    ys, xs = np.nonzero(changed)
    assert len(ys) > 20  # the last digit turned from 0 to 1
    assert ys.max() < 0.12 * H  # only in the clock's band at the top: the pip, text and logo kept every pixel
    assert renderer._prepared.overlays[0].shown == "12:00:01"


def test_the_picture_handed_out_survives_the_next_frame():
    renderer = SceneRenderer(LiveScene("a"), (W, H))
    first = renderer.render(camera(), None, NOON)
    renderer.render(solid(1280, 720, GREEN), None, NOON)
    assert np.all(first == BLUE)  # may still be encoding while the next frame is composed


def test_switch_takes_effect_on_the_next_frame(red_logo):
    renderer = SceneRenderer(LiveScene("talk"), (W, H))
    assert np.all(renderer.render(camera(), solid(64, 64, GREEN), NOON) == BLUE)
    pip = LiveScene("pip", layout="pip", second_source=screen(), pip=Rect(0.0, 0.0, 0.5, 0.5),
                    overlays=(LiveOverlay("image", x=0.75, y=0.75, width=0.2, source=red_logo),))
    renderer.switch(pip)
    assert renderer.scene is pip
    out = renderer.render(camera(), solid(64, 64, GREEN), NOON)
    assert close_to(out[100, 100], GREEN) and close_to(out[960, 540], RED) and close_to(out[1200, 700], BLUE)
    # a scene prepared ahead (in another thread, say) goes on air the same way
    renderer.switch(prepare_scene(LiveScene("plain"), (W, H)))
    assert np.all(renderer.render(camera(), solid(64, 64, GREEN), NOON) == BLUE)


def test_a_scene_that_cannot_be_drawn_is_refused_and_the_current_one_stays():
    renderer = SceneRenderer(LiveScene("talk", overlays=(LiveOverlay("text", text="hi"),)), (W, H))
    with pytest.raises(LibraryError, match="unknown sticker 'no_such_sticker'"):
        renderer.switch(LiveScene("bad", overlays=(LiveOverlay("sticker", source="no_such_sticker"),)))
    with pytest.raises(LibraryError, match="unknown text style"):
        renderer.switch(LiveScene("bad", overlays=(LiveOverlay("text", text="x", style="nope"),)))
    with pytest.raises(ValueError, match="prepared for 1080x1920"):
        renderer.switch(prepare_scene(LiveScene("big"), (1080, 1920)))
    assert renderer.scene.id == "talk"


def test_library_sticker_overlay():
    scene = LiveScene("a", overlays=(LiveOverlay("sticker", x=0.5, y=0.5, width=0.3, source="heart_red"),))
    out = SceneRenderer(scene, (W, H)).render(camera(), None, NOON)
    changed = np.any(out != BLUE, axis=2)
    ys, xs = np.nonzero(changed)
    assert abs(xs.mean() - W / 2) < 20 and abs(ys.mean() - H / 2) < 30 and xs.max() - xs.min() <= 0.3 * W + 2


@pytest.mark.parametrize("now,target,text,shown", [
    (dt.datetime(2024, 5, 1, 19, 59, 50), 20 * 3600, "", "0:10"),
    (dt.datetime(2024, 5, 1, 18, 30, 0), 20 * 3600, "Starting in {}", "Starting in 1:30:00"),
    (dt.datetime(2024, 5, 1, 20, 0, 0), 20 * 3600, "Live in", "Live in 0:00"),
    (dt.datetime(2024, 5, 1, 20, 40, 0), 20 * 3600, "", "0:00"),           # just started: holds at zero
    (dt.datetime(2024, 5, 1, 23, 0, 0), 3600, "", "2:00:00"),              # tomorrow, 1:00
])
def test_countdown_text(now, target, text, shown):
    assert clock_text(LiveOverlay("countdown", text=text, target=target), now) == shown


def test_clock_text_defaults_to_hours_and_minutes():
    assert clock_text(LiveOverlay("clock"), dt.datetime(2024, 5, 1, 9, 5, 7)) == "09:05"
    assert clock_text(LiveOverlay("clock", text="%H:%M:%S"), dt.datetime(2024, 5, 1, 9, 5, 7)) == "09:05:07"


def test_animated_sticker_moves_on_its_own_clock_inside_its_box():
    scene = LiveScene("a", overlays=(LiveOverlay("sticker", x=0.5, y=0.3, width=0.3, source="heart_beat"),))
    renderer = SceneRenderer(scene, (W, H), now=NOON)
    frames = [renderer.render(camera(), None, NOON + dt.timedelta(seconds=s / 10)).copy() for s in range(6)]
    changed = np.zeros((H, W), bool)
    for a, b in zip(frames, frames[1:]):
        changed |= np.any(a != b, axis=2)
    ys, xs = np.nonzero(changed)
    assert len(ys) > 100  # it beats...
    assert abs(xs.mean() - W / 2) < 30 and abs(ys.mean() - 0.3 * H) < 40  # ...where it stands
    assert xs.max() - xs.min() <= 0.3 * W + 4
