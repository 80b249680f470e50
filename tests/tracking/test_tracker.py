"""Tracker on real faces: landmarks in pixels, eye geometry, person mask, parts chosen by need."""
from __future__ import annotations

import numpy as np
import pytest

from studio.tracking import Tracker


def test_astronaut_face_has_478_points_in_pixels(astronaut):
    with Tracker({"face"}, smooth=False) as t:
        tr = t.track(astronaut, 0.0)
    assert tr.size == (512, 512) and len(tr.faces) == 1
    face = tr.faces[0]
    assert face.points.shape == (478, 3) and face.points.dtype == np.float32
    x0, y0, x1, y1 = face.box
    # The astronaut's face is in the upper middle of the photo, roughly 95 x 110 px.
    assert 150 < x0 < 200 and 240 < x1 < 300 and 50 < y0 < 100 and 160 < y1 < 210
    right, left = face.eye_centres()  # subject's right eye is on the image left
    assert right[0] < left[0]
    assert 35 < face.inter_eye_distance < 55
    # eyes sit in the upper half of the face box, both inside it horizontally
    for e in (right, left):
        assert x0 < e[0] < x1 and y0 < e[1] < (y0 + y1) / 2
    assert abs(face.roll) < 10  # upright portrait
    assert tr.hands == () and tr.person_mask is None  # only what was asked for ran


def test_pixels_follow_the_frame_size(astronaut):
    with Tracker({"face"}, smooth=False) as t:
        small = t.track(astronaut[::2, ::2].copy(), 0.0).faces[0]
        big = t.track(astronaut, 1.0).faces[0]
    assert small.size == (256, 256)
    # same face, half the pixels: eye centres agree within 1.5 % of the inter-eye distance... of the big one
    diff = np.abs(np.array(small.eye_centres()) * 2 - np.array(big.eye_centres())).max()
    assert diff < 0.08 * big.inter_eye_distance


def test_roll_follows_a_rotated_face(astronaut):
    import cv2

    M = cv2.getRotationMatrix2D((256, 256), -20, 1.0)  # -20 in OpenCV = 20 deg clockwise on screen
    rotated = cv2.warpAffine(astronaut, M, (512, 512), borderMode=cv2.BORDER_REFLECT)
    with Tracker({"face"}, smooth=False) as t:
        upright = t.track(astronaut, 0.0).faces[0].roll
    with Tracker({"face"}, smooth=False) as t:
        tilted = t.track(rotated, 0.0).faces[0].roll
    assert tilted - upright == pytest.approx(20, abs=4)


def test_no_face_in_a_landscape():
    data = pytest.importorskip("skimage.data")
    with Tracker({"face", "hands"}, smooth=False) as t:
        tr = t.track(np.ascontiguousarray(data.coffee()), 0.0)
        flat = t.track(np.full((240, 320, 3), 90, np.uint8), 0.1)
    assert tr.faces == () and flat.faces == () and flat.hands == ()


def test_webcam_face_and_person_mask(decode, shared_clip):
    frame = decode(shared_clip("webcam_yes.mkv"), 1)[0]
    with Tracker({"face", "segmentation"}, smooth=False) as t:
        tr = t.track(frame, 0.0)
    assert len(tr.faces) >= 1
    face = max(tr.faces, key=lambda f: f.inter_eye_distance)
    assert face.points.shape == (478, 3)
    assert 10 < face.inter_eye_distance < 80  # a person a metre or two from a laptop camera
    m = tr.person_mask.at((640, 480))
    assert m.shape == (480, 640) and m.dtype == np.uint8
    fx, fy = face.eye_centres()[0]
    # the person stands in the middle (face and torso below it), the office wall is in the top corners
    torso = m[int(fy) + 60:int(fy) + 200, int(fx) - 30:int(fx) + 60]
    assert (torso > 127).mean() > 0.9
    for corner in (m[:80, :80], m[:80, -80:]):
        assert (corner > 127).mean() < 0.05
    assert tr.person_mask.float_at((320, 240)).max() <= 1.0


def test_small_faces_are_found_via_the_full_range_detector(decode, shared_clip):
    # In this clip the person stands back: the face mesh's own short-range detector misses them.
    frames = decode(shared_clip("webcam_book.mkv"), 12)
    with Tracker({"face"}, smooth=False) as t:
        counts = [len(t.track(f, i / 30).faces) for i, f in enumerate(frames)]
    assert all(c >= 1 for c in counts), counts
