"""Face effects on a real face (the astronaut photo): the sticker lands on the eyes, follows shift and roll."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.effects import EffectChain, FrameContext, default_registry
from studio.tracking import Tracker

REG = default_registry()


def track(img):
    with Tracker({"face"}, smooth=False) as t:
        return t.track(img, 0.0)


def sticker_alpha(img, tracking, **params):
    """The frame with the sticker, plus where the sticker landed (pixels that changed)."""
    p = REG.validate("face_sticker", {"sticker": "sunglasses", **params})
    out = REG.get("face_sticker").apply(img, FrameContext(0, 0.0, tracking, tracking.size, {}), p)
    changed = np.abs(out.astype(int) - img).sum(2) > 30
    return out, changed


def covers(changed, xy, radius):
    x, y = int(round(xy[0])), int(round(xy[1]))
    return changed[y - radius:y + radius + 1, x - radius:x + radius + 1].mean()


def test_sunglasses_cover_both_eyes(astronaut, astronaut_tracking):
    out, changed = sticker_alpha(astronaut, astronaut_tracking)
    face = astronaut_tracking.faces[0]
    ied = face.inter_eye_distance
    # A square of 1/5 of the eye distance around each iris centre is (almost) all lens.
    r = max(2, int(0.1 * ied))
    for eye in face.eye_centres():
        assert covers(changed, eye, r) > 0.9
    # ...and the glasses stay on the eye band: nothing below the nose tip or above the brow line.
    ys = np.nonzero(changed)[0]
    assert ys.min() > face.points[10, 1] and ys.max() < face.points[1, 1] + 0.2 * ied


def test_sticker_follows_a_shifted_face(astronaut):
    shifted = np.zeros((640, 640, 3), np.uint8)
    shifted[100:612, 90:602] = astronaut  # the photo moved 90 px right, 100 px down
    tr = track(shifted)
    _, changed = sticker_alpha(shifted, tr)
    _, changed0 = sticker_alpha(astronaut, track(astronaut))
    c0 = np.argwhere(changed0).mean(0)
    c1 = np.argwhere(changed).mean(0)
    ied = tr.faces[0].inter_eye_distance
    assert np.abs((c1 - c0) - (100, 90)).max() < 0.1 * ied  # centroid moved with the face, within 10 % of ied


def test_sticker_turns_with_the_head(astronaut):
    M = cv2.getRotationMatrix2D((256, 256), -20, 1.0)  # 20 deg clockwise on screen
    rotated = cv2.warpAffine(astronaut, M, (512, 512), borderMode=cv2.BORDER_REFLECT)
    tr = track(rotated)
    face = tr.faces[0]
    _, changed = sticker_alpha(rotated, tr)
    # principal axis of the sticker's pixels = the line of the glasses
    ys, xs = np.nonzero(changed)
    pts = np.stack([xs, ys], 1).astype(float)
    pts -= pts.mean(0)
    _, vecs = np.linalg.eigh(pts.T @ pts)
    axis = vecs[:, -1]
    angle = np.degrees(np.arctan2(axis[1], axis[0]))
    angle = (angle + 90) % 180 - 90
    assert angle == pytest.approx(20, abs=4)
    assert angle == pytest.approx(face.roll, abs=4)
    for eye in face.eye_centres():
        assert covers(changed, eye, max(2, int(0.1 * face.inter_eye_distance))) > 0.9


def test_sticker_on_every_face(astronaut):
    two = np.concatenate([astronaut, astronaut], axis=1)  # two faces side by side
    tr = track(two)
    assert len(tr.faces) == 2
    _, changed = sticker_alpha(two, tr)
    for face in tr.faces:
        for eye in face.eye_centres():
            assert covers(changed, eye, 3) > 0.9


@pytest.mark.parametrize("effect_id", ["face_sticker", "beauty", "big_eyes", "slim_face"])
def test_no_face_frame_is_unchanged_bit_exact(effect_id):
    data = pytest.importorskip("skimage.data")
    for img in (np.ascontiguousarray(data.coffee()), np.full((240, 320, 3), (40, 120, 200), np.uint8)):
        chain = EffectChain([type("Ref", (), {"id": effect_id, "params": {}, "enabled": True, "trigger": None})()])
        out = chain.apply(img, frame_index=0, time=0.0)
        assert np.array_equal(out, img)
        chain.close()


def test_beauty_smooths_skin_but_keeps_the_eyes(astronaut, astronaut_tracking):
    p = REG.validate("beauty", {"strength": 1.0})
    out = REG.get("beauty").apply(astronaut, FrameContext(0, 0.0, astronaut_tracking, (512, 512), {}), p)
    face = astronaut_tracking.faces[0]
    cheek = face.points[[50, 280], :2].astype(int)  # cheek landmarks: skin
    lap_in = lap_out = 0.0
    for x, y in cheek:
        lap_in += np.abs(cv2.Laplacian(astronaut[y - 6:y + 7, x - 6:x + 7].astype(np.float32), cv2.CV_32F)).mean()
        lap_out += np.abs(cv2.Laplacian(out[y - 6:y + 7, x - 6:x + 7].astype(np.float32), cv2.CV_32F)).mean()
    assert lap_out < 0.8 * lap_in  # skin texture reduced
    for eye in face.eye_centres():
        x, y = eye.astype(int)
        assert np.abs(out[y - 2:y + 3, x - 2:x + 3].astype(int) - astronaut[y - 2:y + 3, x - 2:x + 3]).max() <= 3
    assert np.array_equal(out[:40], astronaut[:40])  # far from the face: untouched


def test_big_eyes_magnifies_the_iris_and_slim_face_moves_the_jaw(astronaut, astronaut_tracking):
    ctx = FrameContext(0, 0.0, astronaut_tracking, (512, 512), {})
    face = astronaut_tracking.faces[0]
    big = REG.get("big_eyes").apply(astronaut, ctx, REG.validate("big_eyes", {"strength": 1.0}))
    # The dark iris covers more pixels around its centre after magnification.
    for eye in face.eye_centres():
        x, y = eye.astype(int)
        r = int(0.2 * face.inter_eye_distance)
        dark_in = (astronaut[y - r:y + r, x - r:x + r].mean(2) < 70).sum()
        dark_out = (big[y - r:y + r, x - r:x + r].mean(2) < 70).sum()
        assert dark_out > dark_in
    slim = REG.get("slim_face").apply(astronaut, ctx, REG.validate("slim_face", {"strength": 1.0}))
    changed = np.argwhere(np.abs(slim.astype(int) - astronaut).sum(2) > 0)
    x0, y0, x1, y1 = face.box
    assert len(changed) > 200
    assert changed[:, 1].min() >= x0 - 0.2 * (x1 - x0) and changed[:, 1].max() <= x1 + 0.2 * (x1 - x0)
