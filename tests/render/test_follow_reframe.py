"""The "follow" fit: on 16:9 footage the 9:16 crop pans with the subject (real MediaPipe tracking,
real encoding, decoded pixels), holds still when the subject does, and `studio quick` picks it for
landscape media with a face."""
import json
from fractions import Fraction

import av
import cv2
import numpy as np
import pytest

from studio.model import (Clip, Project, Timeline, Track, edits, load_project, project_from_dict, project_to_dict,
                          save_project)
from studio.render.export import ExportOptions, export_project
from studio.render.follow import crop_width, plan_path

FPS = 30
SRC_W, SRC_H = 1920, 1080
CAM_Y = 300  # the webcam picture's top row; above it the canvas is a still texture
# x of the webcam picture's left edge: still, pan right, still, pan back (seconds, x)
MOTION = [(0.0, 100), (1.0, 100), (3.2, 1180), (5.0, 1180), (6.0, 700)]
STILL = (3.2, 5.0)
SECONDS = 6.0
FAST = ExportOptions(quality="draft", crf=30, cover=False, sidecar=False, preflight=False)


def cam_x(t: float) -> float:
    times, xs = zip(*MOTION)
    return float(np.interp(t, times, xs))


def _webcam_frames(shared):
    path = shared / "webcam_book.mkv"
    if not path.is_file():
        pytest.skip(f"no shared webcam media at {shared}")
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


@pytest.fixture(scope="module")
def wide_footage(tmp_path_factory, mediagen):
    """A 1920x1080 picture with the 640x480 webcam take moving across a textured still canvas."""
    cam = _webcam_frames(mediagen.shared_media)
    rng = np.random.default_rng(7)
    texture = cv2.resize(rng.integers(0, 255, (SRC_H // 8, SRC_W // 8, 3), dtype=np.uint8), (SRC_W, SRC_H),
                         interpolation=cv2.INTER_LINEAR)
    path = tmp_path_factory.mktemp("follow") / "wide.mp4"
    n = int(SECONDS * FPS)
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=FPS)
        vs.width, vs.height, vs.pix_fmt = SRC_W, SRC_H, "yuv420p"
        vs.options = {"preset": "ultrafast", "crf": "16"}
        for i in range(n):
            img = texture.copy()
            x = int(round(cam_x(i / FPS)))
            k = i % (2 * len(cam) - 2)  # ping-pong through the take: no jump where it would loop
            img[CAM_Y:CAM_Y + 480, x:x + 640] = cam[k if k < len(cam) else 2 * len(cam) - 2 - k]
            for packet in vs.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
    return path


def _project(source, fit: str, frames: int) -> Project:
    clip = Clip("clip-1", str(source), 0, frames, fit=fit, source_frames=frames)
    return Project(fps=Fraction(FPS), timeline=edits.append_clip(Timeline((Track("video"),)), clip))


@pytest.fixture(scope="module")
def followed(wide_footage, tmp_path_factory):
    frames = int(SECONDS * FPS)
    project = _project(wide_footage, "follow", frames)
    out = tmp_path_factory.mktemp("follow-out") / "follow.mp4"
    export_project(project, out, FAST)
    with av.open(str(out)) as c:
        pictures = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    return project, pictures


def _still_indices():
    # the path may anticipate and settle for half a second around the subject's stops
    return range(int((STILL[0] + 0.5) * FPS), int((STILL[1] - 0.5) * FPS))


def test_follow_keeps_the_face_in_the_middle(followed):
    from studio.tracking.tracker import Tracker

    _, pictures = followed
    assert len(pictures) == int(SECONDS * FPS)
    h, w = pictures[0].shape[:2]
    assert (w, h) == (1080, 1920)
    inside = found = 0
    # look in the band of rows the webcam picture covers: a standing person's face is small in the
    # whole 9:16 frame, and the face's x does not depend on the rows searched
    s = h / SRC_H
    band = slice(int(CAM_Y * s) - 20, int((CAM_Y + 480) * s) + 20)
    with Tracker(frozenset({"face"}), smooth=False) as tracker:
        for i, rgb in enumerate(pictures):
            faces = tracker.track(np.ascontiguousarray(rgb[band]), i / FPS).faces
            if not faces:
                print("no face on output frame", i)
                continue
            found += 1
            x0, _, x1, _ = faces[0].box
            inside += 0.2 * w <= (x0 + x1) / 2 <= 0.8 * w
    print(f"face found on {found}/{len(pictures)} output frames, inside the middle 60% on {inside}")
    assert found >= 0.9 * len(pictures), "the face should stay in the picture"
    assert inside >= 0.95 * len(pictures), f"face in the middle 60% on {inside}/{len(pictures)} frames"


def _shift(a: np.ndarray, b: np.ndarray) -> float:
    """Horizontal shift (output px) between two frames, from the still texture above the webcam."""
    band = slice(0, 480)  # canvas rows above CAM_Y, scaled by 1920/1080
    ga = cv2.cvtColor(a[band], cv2.COLOR_RGB2GRAY).astype(np.float32)
    gb = cv2.cvtColor(b[band], cv2.COLOR_RGB2GRAY).astype(np.float32)
    (dx, _), _ = cv2.phaseCorrelate(ga, gb)
    return abs(dx)


def test_follow_holds_still_when_the_subject_does(followed):
    from studio.render.compositor import Renderer

    project, pictures = followed
    clip = project.timeline.tracks[0].items[0]
    with Renderer() as renderer:
        path = np.array([renderer.follow_centre(clip, f, project.fps, 1080, 1920) for f in range(clip.duration)])
    path_px = path * SRC_W * (1920 / SRC_H)  # crop centre in output pixels
    still = list(_still_indices())
    path_jitter = np.abs(np.diff(path_px[still])).max()
    out_jitter = max(_shift(pictures[i], pictures[i + 1]) for i in still[:-1])
    pan = max(_shift(pictures[i], pictures[i + 1]) for i in range(int(1.5 * FPS), int(2.5 * FPS)))
    print(f"still stretch: path jitter {path_jitter:.3f} px, output shift {out_jitter:.3f} px; "
          f"mid-pan shift {pan:.1f} px/frame")
    assert path_jitter < 2.0
    assert out_jitter < 2.0
    assert pan > 5.0, "the measure should see the pan while the subject moves"
    speed = np.abs(np.diff(path_px)).max()
    cw_out = 1080
    assert speed <= 0.9 * cw_out / FPS * 1.05, "pan speed is limited"


def test_path_ignores_detection_noise_and_blips():
    rng = np.random.default_rng(1)
    subject = np.full(120, 900.0) + rng.normal(0, 6, 120)
    subject[40] = 1500.0  # a one-frame false detection
    subject[70:75] = np.nan  # the face is lost for a moment
    cw = crop_width(SRC_W, SRC_H, 1080, 1920)
    path = plan_path(subject, SRC_W, cw, FPS)
    assert np.ptp(path) < 0.5


def _small_clip(path, cam, size, at, seconds=1.0):
    w, h = size
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=FPS)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        vs.options = {"preset": "ultrafast", "crf": "20"}
        for i in range(int(seconds * FPS)):
            img = np.full((h, w, 3), 60, np.uint8)
            pic = cam[i % len(cam)][:min(480, h), :min(640, w)]
            img[at[1]:at[1] + pic.shape[0], at[0]:at[0] + pic.shape[1]] = pic
            for packet in vs.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
    return path


def test_quick_picks_follow_for_landscape_faces(tmp_path, mediagen):
    cam = _webcam_frames(mediagen.shared_media)
    landscape = _small_clip(tmp_path / "landscape.mp4", cam, (1280, 720), (600, 120))
    portrait = _small_clip(tmp_path / "portrait.mp4", cam, (540, 960), (0, 240))
    no_face = mediagen.write_clip(tmp_path / "no_face.mp4", size=(640, 360), seconds=1.0, audio=None)
    saved = tmp_path / "quick.studio"
    proc = mediagen.run_studio("quick", landscape, portrait, no_face, "-o", tmp_path / "quick.mp4",
                               "--save-project", saved, "--quality", "draft")
    assert proc.returncode == 0, proc.stderr[-3000:]
    clips = load_project(saved).timeline.tracks[0].items
    assert [c.fit for c in clips] == ["follow", "fill", "fill"]
    with av.open(str(tmp_path / "quick.mp4")) as c:
        assert c.streams.video[0].codec_context.width == 1080
        assert sum(1 for _ in c.decode(video=0)) == 90


def test_follow_project_round_trips(tmp_path, mediagen):
    source = mediagen.write_clip(tmp_path / "wide.mp4", size=(640, 360), seconds=1.0, audio=None)
    project = _project(source, "follow", 30)
    path = tmp_path / "p.studio"
    save_project(project, path)
    assert '"follow"' in path.read_text()
    assert load_project(path).timeline.tracks[0].items[0].fit == "follow"
    # an older project (no fit written, or an earlier choice) reads as before
    data = project_to_dict(project)
    item = data["timeline"]["tracks"][0]["items"][0] if "timeline" in data else None
    assert item is not None and item["fit"] == "follow"
    del item["fit"]
    assert project_from_dict(data).timeline.tracks[0].items[0].fit == "fill"
    item["fit"] = "fit_blur"
    assert project_from_dict(data).timeline.tracks[0].items[0].fit == "fit_blur"
