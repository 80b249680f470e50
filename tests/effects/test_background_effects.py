"""Background blur/replace on a real webcam frame: background changes, the person does not."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.effects import EffectChain, EffectError, FrameContext, default_registry

REG = default_registry()


def regions(tracking):
    m = tracking.person_mask.at(tracking.size)
    return m > 250, m < 5  # surely person, surely background


def test_background_blur_changes_background_not_person(webcam_frame, webcam_tracking):
    p = REG.validate("background_blur", {"strength": 1.0})
    out = REG.get("background_blur").apply(webcam_frame, FrameContext(0, 0.0, webcam_tracking, (640, 480), {}), p)
    person, bg = regions(webcam_tracking)
    diff = np.abs(out.astype(int) - webcam_frame).sum(2)
    assert person.mean() > 0.1 and bg.mean() > 0.3
    assert np.median(diff[person]) == 0 and diff[person].mean() < 2
    assert (diff[bg] > 6).mean() > 0.3  # textured parts of the office went soft
    # blurred: less high-frequency energy in the background
    lap = lambda im: np.abs(cv2.Laplacian(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.CV_32F))
    assert lap(out)[bg].mean() < 0.5 * lap(webcam_frame)[bg].mean()


def test_background_replace_with_colour_image_and_video(tmp_path, webcam_frame, webcam_tracking):
    person, bg = regions(webcam_tracking)
    ctx = lambda t=0.0: FrameContext(0, t, webcam_tracking, (640, 480), {})
    out = REG.get("background_replace").apply(webcam_frame, ctx(), REG.validate("background_replace", {"source": "#ff0000"}))
    assert (np.abs(out[bg].astype(int) - (255, 0, 0)).max(1) <= 2).mean() > 0.95  # all but the feathered rim
    assert np.abs(out[person].astype(int) - webcam_frame[person]).max(1).mean() < 2

    img = np.zeros((100, 200, 3), np.uint8)
    img[:, :, 1] = 200
    path = tmp_path / "bg.png"
    cv2.imwrite(str(path), img)
    out = REG.get("background_replace").apply(webcam_frame, ctx(), {"source": str(path)})
    assert (np.abs(out[bg].astype(int) - (0, 200, 0)).max(1) <= 2).mean() > 0.95  # all but the feathered rim

    import av

    vid = tmp_path / "bg.mp4"
    with av.open(str(vid), "w") as c:
        s = c.add_stream("libx264", rate=10)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):  # first half blue, second half white
            f = av.VideoFrame.from_ndarray(np.full((48, 64, 3), (0, 0, 255) if i < 5 else (255, 255, 255), np.uint8),
                                           format="rgb24")
            for pkt in s.encode(f):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)
    eff, params, cache = REG.get("background_replace"), {"source": str(vid)}, {}
    early = eff.apply(webcam_frame, FrameContext(0, 0.1, webcam_tracking, (640, 480), cache), params)
    late = eff.apply(webcam_frame, FrameContext(8, 0.8, webcam_tracking, (640, 480), cache), params)
    loop = eff.apply(webcam_frame, FrameContext(11, 1.1, webcam_tracking, (640, 480), cache), params)  # loops
    assert np.median(early[bg][:, 2]) > 200 and np.median(early[bg][:, 0]) < 40
    assert np.median(late[bg][:, 0]) > 200
    assert np.median(loop[bg][:, 0]) < 40


def test_no_person_no_change():
    data = pytest.importorskip("skimage.data")
    img = np.ascontiguousarray(data.coffee())
    for eid in ("background_blur", "background_replace"):
        chain = EffectChain([type("R", (), {"id": eid, "params": {}, "enabled": True, "trigger": None})()])
        assert np.array_equal(chain.apply(img, frame_index=0, time=0.0), img)
        chain.close()
