"""A face-anchored sticker on an overlay track follows the face tracked in the clip underneath."""
import dataclasses

import numpy as np
import pytest

skimage_data = pytest.importorskip("skimage.data")

from studio.model import Clip, Project, StickerItem, Timeline, Track  # noqa: E402
from studio.model import edits  # noqa: E402
from studio.render.compositor import Renderer  # noqa: E402


@pytest.fixture(scope="module")
def face_images(tmp_path_factory):
    """The astronaut photo on a wide grey canvas, the face left and then right of centre."""
    import cv2

    folder = tmp_path_factory.mktemp("faces")
    face = skimage_data.astronaut()
    paths = []
    for name, x in (("left", 120), ("right", 680)):
        canvas = np.full((720, 1280, 3), 128, np.uint8)
        canvas[100:612, x:x + 512] = face
        path = folder / f"{name}.png"
        cv2.imwrite(str(path), cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR))
        paths.append(path)
    return paths


def _sticker_centre_x(image_path, width=360, height=640):
    timeline = Timeline((Track("video"),))
    timeline = edits.append_clip(timeline, Clip("clip-1", str(image_path), 0, 10, fit="fit_black"))
    plain = Project(timeline=timeline)
    with_sticker = dataclasses.replace(plain, timeline=edits.add_item(
        timeline, StickerItem("sticker-1", 0, 10, "heart_red", scale=0.2, face_anchor=True)))
    with Renderer() as renderer:
        a = renderer.render(plain, 5, (width, height)).astype(int)
        b = renderer.render(with_sticker, 5, (width, height)).astype(int)
    changed = np.abs(a - b).sum(axis=2) > 30
    assert changed.sum() > 50, "the face-anchored sticker should be drawn over the face"
    ys, xs = np.nonzero(changed)
    return xs.mean() / width


def test_face_anchored_sticker_follows_the_face(face_images):
    left, right = face_images
    x_left, x_right = _sticker_centre_x(left), _sticker_centre_x(right)
    # the face centre is at (120+256)/1280 = 0.29 and (680+256)/1280 = 0.73 of the picture width;
    # fit_black keeps x proportional, so the sticker must move right by about 0.44 of the canvas
    assert x_left == pytest.approx(0.29, abs=0.08)
    assert x_right == pytest.approx(0.73, abs=0.08)


def test_no_face_hides_a_face_anchored_sticker(tmp_path):
    import cv2

    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((480, 640, 3), 90, np.uint8))
    timeline = edits.append_clip(Timeline((Track("video"),)), Clip("clip-1", str(blank), 0, 5))
    timeline = edits.add_item(timeline, StickerItem("sticker-1", 0, 5, "heart_red", face_anchor=True))
    with Renderer() as renderer:
        frame = renderer.render(Project(timeline=timeline), 2, (180, 320))
    assert np.all(np.abs(frame.astype(int) - 90) <= 2)
