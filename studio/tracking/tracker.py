"""MediaPipe behind one object: track a frame at a small working size, map results back to pixels.

Uses the legacy `mp.solutions` graphs (face mesh with iris, hands, selfie segmentation): on this
machine they measured faster than the Tasks API equivalents for the same bundled models (face mesh
~4 ms, landscape segmentation ~2 ms, lite hands ~7 ms at 512x384), and they run their own ROI
tracking between frames in video mode.
"""
from __future__ import annotations

import functools
import importlib
import sys
import types
from dataclasses import dataclass

import cv2
import numpy as np

from studio.media.native_log import native_stderr_silenced
from studio.tracking.gestures import classify_gesture
from studio.tracking.one_euro import SetSmoother
from studio.tracking.types import (LEFT_IRIS_CENTRE, RIGHT_IRIS_CENTRE, FaceLandmarks, FrameTracking,
                                   HandLandmarks, PersonMask)

PARTS = frozenset({"face", "hands", "segmentation"})
# v2: faces printed on clothing are dropped before results are cached (see `faces_on_bodies`)
MODEL_VERSION = "mediapipe-0.10.21/facemesh-iris+hands-lite+selfie-landscape/v2"

# -- Faces printed on clothing (issue 11/9: the skull of a T-shirt got the heart-eyes sticker) --
# The face mesh uses its detector only to find new faces, then follows each by its own landmarks
# (every frame's crop comes from the last frame's landmarks): once its detector has mistaken a print
# for a face on one frame, the mesh keeps following the print. So a face that sits on the body below
# another face is found again from scratch on every frame, the way the mesh finds a new face: its
# detector (at the mesh's own threshold) and landmarks, run on a still crop around the face, must find
# a face whose eyes are where the tracked face has them. It is kept while that succeeds on most of its
# recent frames. Nothing else is checked: a single face, the topmost face and faces side by side cost
# nothing and are never dropped.
# Measured on the shared webcam clips (the Misfits skull T-shirt in webcam_again / webcam_yes, a
# duet built from two clips, and real face photos pasted below a chin as a stand-in for a child held
# in front): the skull was found again on 1 of 72 frames (58 times nothing, 13 times a face elsewhere,
# 0.3..2 eye distances off); real faces below a chin were found again on 85 of 86 frames (the miss:
# half out of the picture), their eyes within 0.03 eye distances (95th percentile).
PRINT_CHECK_CROP = 2.0  # crop side in units of the face box's longer side: the detector wants margin,
#                         and a wider crop takes in the real face above the print
PRINT_CHECK_SIZE = 256
# The crop is cut from the working frame (already averaged down) when that has at least this share of
# PRINT_CHECK_SIZE across the crop: a full-scale warp and INTER_AREA of a big face cost ~2 ms a check
# at 720p (issue 16). On the shared clips (the skull at 0.7..1.0 of it) no vote changed.
PRINT_CHECK_FROM_SMALL = 2 / 3
PRINT_CHECK_EYES = 0.25  # largest eye offset, in eye distances, between the tracked and refound face
PRINT_CHECK_VOTES = 5  # recent checks per face; the majority decides, so one odd frame changes nothing
# "On the body below another face": the lower face's centre is below the upper face's chin, at most
# BODY_REACH face heights below it (chin to hips is about three head heights; a print may sit low on
# a shirt), and at most BODY_HALF_WIDTH face widths to either side of it (shoulders are about 2.5 face
# widths across; a turned body moves its print sideways). Generous on purpose: a real face there
# (a child held in front, someone sitting in front of a standing person) is found again and kept.
BODY_REACH = 4.0
BODY_HALF_WIDTH = 1.5

# -- Re-finding a face the mesh lost (issue 13: tracking is most of a first export's cost) --
# The mesh's own detector misses small faces (someone standing back from a webcam), so without the
# fallback below such a face is lost on every frame. The full fallback (a full-range detector on the
# whole frame, then the mesh on a crop around each face it finds) costs about 12 ms; re-finding the
# faces of the previous frame with the mesh alone, on an upscaled crop around where each was, about
# 5 ms. A re-found face counts only when the mesh is sure it is a face (its face-presence score at
# least REFIND_PRESENCE; the tracking mesh asks for 0.5) and it is where and as large as the face it
# re-finds, so a print on a shirt or a face beside it cannot take its place. Faces new to the
# picture are looked for by the full fallback at least every REFIND_RUN frames.
# Measured on the benchmark's 30 s webcam source: with every 2nd frame tracked the mesh lost the face
# on 150 of 450 frames and all 150 were re-found, 0.00..0.03 face sizes from where the full fallback
# put it (at presence 0.5, 0.7 and 0.9 alike); with every 3rd frame (the follow pan's stride) it lost
# 108 of 300, the full fallback ran on 12 of them (every REFIND_RUN-th) and re-finding on the rest.
REFIND_CROP = 2.2  # crop side in units of the face box's longer side (as the full fallback's crop)
REFIND_SIZE = 256
REFIND_PRESENCE = 0.9
REFIND_SHIFT = 0.5  # largest move of the box centre, in face sizes, from the previous frame's face
REFIND_SCALE = 1.4  # largest change of the face size, either way
REFIND_RUN = 8  # frames in a row found by re-finding alone, before the full fallback looks again


@dataclass
class RawFrame:
    """Unsmoothed tracking in normalised coordinates (x/y in 0..1 of the frame, z scaled like x).

    This is what the on-disk cache stores; `to_tracking` turns it into pixels of any size.
    """

    parts: frozenset[str]
    faces: np.ndarray  # (n, 478, 3) float32
    hands: np.ndarray  # (n, 21, 3) float32
    handedness: np.ndarray  # (n,) int8: 0 = subject's left, 1 = subject's right
    mask: np.ndarray | None  # uint8 person mask at working size, or None

    @staticmethod
    def empty(parts=frozenset()) -> "RawFrame":
        return RawFrame(frozenset(parts), np.zeros((0, 478, 3), np.float32), np.zeros((0, 21, 3), np.float32),
                        np.zeros((0,), np.int8), None)


def working_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    w, h = size
    s = min(1.0, long_side / max(w, h))
    return max(1, int(round(w * s))), max(1, int(round(h * s)))


@functools.lru_cache(maxsize=8)
def _area_maps(src: tuple[int, int], dst: tuple[int, int]):
    """cv2.remap maps (fixed point) whose bilinear weights are INTER_AREA's for `src` -> `dst` (w, h),
    or None when an output pixel spans more than two source pixels on an axis (bilinear cannot)."""
    axes = []
    for n_in, n_out in zip(src, dst):
        r = n_in / n_out
        a = np.arange(n_out) * r  # output pixel i covers source [a, a + r)
        k = np.floor(a)
        if (a + r > k + 2 + 1e-9).any():
            return None
        axes.append(np.float32(k + np.clip(a + r - (k + 1), 0, None) / r))
    return cv2.convertMaps(*np.meshgrid(*axes), cv2.CV_16SC2)


def downscale(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`rgb` at `size` (w, h) with INTER_AREA's averaging, in cheaper steps (issue 16): OpenCV's
    INTER_AREA at a non-integer ratio took 2.8 ms of CPU for 1280x720 -> 512x288, this ~1 ms. Halved
    with INTER_AREA's 2x fast path while at least twice as large, then the rest (under 2x: each output
    pixel spans at most two source pixels) as a bilinear remap with area weights (within 2 levels
    of INTER_AREA)."""
    h, w = rgb.shape[:2]
    while w >= 2 * size[0] and h >= 2 * size[1]:
        rgb = cv2.resize(rgb, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        h, w = rgb.shape[:2]
    if (w, h) == tuple(size):
        return rgb
    maps = _area_maps((w, h), tuple(size))
    if maps is None:
        return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return cv2.remap(rgb, maps[0], maps[1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


# a NormalizedLandmark with x, y, z set (proto2: set fields are written even when 0) and nothing else
_LANDMARK_RECORD = np.dtype([("tag", "u1"), ("len", "u1"), ("tx", "u1"), ("x", "<f4"), ("ty", "u1"), ("y", "<f4"),
                             ("tz", "u1"), ("z", "<f4")])
_LANDMARK_TAGS = (0x0A, 15, 0x0D, 0x15, 0x1D)


def landmark_array(landmarks) -> np.ndarray:
    """(n, 3) float32 x, y, z of a NormalizedLandmarkList, read from its wire format in one go (a
    Python loop over 478 protobuf points took 0.19 ms a face); any other layout takes that loop."""
    data = landmarks.SerializeToString()
    if len(data) % _LANDMARK_RECORD.itemsize == 0:
        rec = np.frombuffer(data, _LANDMARK_RECORD)
        if all((rec[f] == v).all() for f, v in zip(("tag", "len", "tx", "ty", "tz"), _LANDMARK_TAGS)):
            return np.stack([rec["x"], rec["y"], rec["z"]], axis=1)
    return np.array([(p.x, p.y, p.z) for p in landmarks.landmark], np.float32).reshape(-1, 3)


def raw_to_tracking(raw: RawFrame, size: tuple[int, int], faces=None, hands=None) -> FrameTracking:
    """Pixels of `size` from normalised raw data (optionally with smoothed face/hand arrays)."""
    w, h = size
    scale = np.float32([w, h, w])
    faces = raw.faces if faces is None else faces
    hands = raw.hands if hands is None else hands
    f = tuple(FaceLandmarks((p * scale).astype(np.float32), (w, h)) for p in faces)
    hs = []
    for p, side in zip(hands, raw.handedness):
        px = (p * scale).astype(np.float32)
        hs.append(HandLandmarks(px, (w, h), "Right" if side == 1 else "Left", 1.0, classify_gesture(px)))
    mask = PersonMask(raw.mask) if raw.mask is not None else None
    return FrameTracking((w, h), f, tuple(hs), mask, raw.parts)


def face_boxes(faces: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(n, 4) landmark boxes x0, y0, x1, y1 in pixels of `size` from normalised (n, 478, 3) faces."""
    w, h = size
    xy = np.asarray(faces, np.float32).reshape(-1, 478, 3)[:, :, :2] * np.float32([w, h])
    return np.concatenate([xy.min(1), xy.max(1)], axis=1)


def faces_on_bodies(faces: np.ndarray, size: tuple[int, int]) -> list[int]:
    """Indices of faces that sit where another face's body is (below its chin, within its shoulders).

    The relation is strict (a face's centre lies above its own chin), so the topmost of any faces
    stacked above each other is never in the list, and neither is a face alone."""
    boxes = face_boxes(faces, size)
    out = []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for j, (ux0, uy0, ux1, uy1) in enumerate(boxes):
            if j == i:
                continue
            uw, uh = max(ux1 - ux0, 1.0), max(uy1 - uy0, 1.0)
            if uy1 < cy <= uy1 + BODY_REACH * uh and abs(cx - (ux0 + ux1) / 2) <= BODY_HALF_WIDTH * uw:
                out.append(i)
                break
    return out


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its names is used; then imports it for real."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, name)


# imported by `mediapipe.solutions` for its drawing helpers, which Studio does not use: they import
# matplotlib.pyplot (about half of MediaPipe's import time, and a font-cache scan of a few seconds
# where matplotlib's cache folder is new)
_DRAWING_MODULES = ("mediapipe.python.solutions.drawing_utils", "mediapipe.python.solutions.drawing_styles")


def _mediapipe():
    """`import mediapipe`, with its drawing helpers imported only if something uses them."""
    if "mediapipe" in sys.modules:
        return sys.modules["mediapipe"]
    for name in _DRAWING_MODULES:
        sys.modules.setdefault(name, _Deferred(name))
    import mediapipe.python.solutions as solutions

    for name in _DRAWING_MODULES:
        module = sys.modules.get(name)
        if isinstance(module, _Deferred):  # as the real import would: `mp.solutions.drawing_utils`
            setattr(solutions, name.rpartition(".")[2], module)
    return sys.modules["mediapipe"]


class Tracker:
    """Tracks faces / hands / person in frames of one stream (video mode: call in time order).

    `needs` picks the MediaPipe graphs that run; each is created on first use. Results are smoothed
    with One Euro filters kept in this object (`smooth=False` for raw output).
    """

    def __init__(self, needs=frozenset({"face"}), *, working_long_side: int = 512, max_faces: int = 2,
                 max_hands: int = 2, smooth: bool = True, min_cutoff: float = 1.0, beta: float = 10.0):
        unknown = set(needs) - PARTS
        if unknown:
            raise ValueError(f"tracker: unknown part(s) {sorted(unknown)}")
        self.needs = frozenset(needs)
        self.working_long_side = working_long_side
        self.max_faces, self.max_hands = max_faces, max_hands
        self.smooth = smooth
        self._face_smoother = SetSmoother(min_cutoff, beta)
        self._hand_smoother = SetSmoother(min_cutoff, beta)
        self._graphs: dict[str, object] = {}
        # faces lately on a body: (centre in pixels, recent checks, kept, frames since seen)
        self._checks: list[tuple[np.ndarray, list[bool], bool, int]] = []
        self._last_faces = np.zeros((0, 478, 3), np.float32)  # the previous frame's faces (normalised)
        self._refound = 0  # frames in a row whose faces were re-found (see REFIND_RUN)
        self.calls = 0  # frames run through MediaPipe (tests check that a cached clip makes none)

    # -- MediaPipe graphs, created lazily so a face-only chain never loads the hand model --
    def _graph(self, part: str):
        g = self._graphs.get(part)
        if g is None:
            mp = _mediapipe()
            # Silenced from construction on: the graph opens its calculators on MediaPipe's own
            # threads, so TFLite's log line can start before the first process() call (a half line
            # "INFO: " left in the terminal, which the next message of ours then continued).
            with native_stderr_silenced():
                g = self._new_graph(mp, part)
                g.process(np.zeros((64, 64, 3), np.uint8))  # first run: TFLite logs its delegate setup
            self._graphs[part] = g
        return g

    def _new_graph(self, mp, part: str):
        if part == "face":
            # one spare slot: the mesh stops looking for new faces once its slots are full, so a print
            # it follows must not keep a real person out (results are cut back to max_faces in
            # _real_faces)
            g = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=self.max_faces + 1,
                                                refine_landmarks=True, min_detection_confidence=0.5,
                                                min_tracking_confidence=0.5)
        elif part == "hands":
            g = mp.solutions.hands.Hands(static_image_mode=False, max_num_hands=self.max_hands,
                                         model_complexity=0, min_detection_confidence=0.5,
                                         min_tracking_confidence=0.5)
        elif part == "face_detection":
            # full-range model: finds the small faces of someone standing back from the camera,
            # which the face mesh's own short-range detector misses
            g = mp.solutions.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5)
        elif part == "face_check":
            # finds a face from scratch, at the same detector threshold as the tracking mesh above
            g = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1,
                                                refine_landmarks=True, min_detection_confidence=0.5)
        elif part == "face_refind":
            # the face-presence threshold is the mesh's min_tracking_confidence, in static mode too
            g = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1,
                                                refine_landmarks=True, min_detection_confidence=0.5,
                                                min_tracking_confidence=REFIND_PRESENCE)
        elif part == "face_crop":
            g = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1,
                                                refine_landmarks=True, min_detection_confidence=0.3)
        else:
            g = mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=1)
        return g

    def close(self) -> None:
        for g in self._graphs.values():
            g.close()
        self._graphs.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def track_raw(self, rgb: np.ndarray, needs=None) -> RawFrame:
        """Unsmoothed, normalised results for one frame (any size; downscaled to the working size)."""
        needs = self.needs if needs is None else frozenset(needs)
        self.calls += 1
        h, w = rgb.shape[:2]
        ws = working_size((w, h), self.working_long_side)
        small = np.ascontiguousarray(downscale(rgb, ws))
        raw = RawFrame.empty(needs)
        if "face" in needs:
            res = self._graph("face").process(small)
            if res.multi_face_landmarks:
                raw.faces = np.stack([landmark_array(f) for f in res.multi_face_landmarks])
                self._refound = 0
            else:
                raw.faces = self._refind(rgb)
                if raw.faces is None:
                    self._refound = 0
                    raw.faces = self._small_faces(rgb, small)
                else:
                    self._refound += 1
            raw.faces = self._real_faces(rgb, raw.faces, small)
            self._last_faces = raw.faces
        if "hands" in needs:
            res = self._graph("hands").process(small)
            if res.multi_hand_landmarks:
                raw.hands = np.stack([landmark_array(hnd) for hnd in res.multi_hand_landmarks])
                # MediaPipe labels hands as if the image were mirrored (selfie view); our frames are
                # camera-native, so its "Left" is the subject's right hand.
                raw.handedness = np.array([1 if c.classification[0].label == "Left" else 0
                                           for c in res.multi_handedness], np.int8)
        if "segmentation" in needs:
            res = self._graph("segmentation").process(small)
            raw.mask = np.clip(res.segmentation_mask * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return raw

    def _refind(self, rgb: np.ndarray) -> np.ndarray | None:
        """The previous frame's faces found again by the mesh on a crop around each, or None when
        one of them is not (or there were none, or it is time for the full fallback to look)."""
        prev = self._last_faces
        if not len(prev) or self._refound >= REFIND_RUN:
            return None
        h, w = rgb.shape[:2]
        faces = []
        for x0, y0, x1, y1 in face_boxes(prev, (w, h)):
            cx, cy, size = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0, 1.0)
            side = REFIND_CROP * size
            if side < 8:
                return None
            k = REFIND_SIZE / side
            ox, oy = cx - side / 2, cy - side / 2  # crop origin in frame pixels
            crop = cv2.warpAffine(rgb, np.float32([[k, 0, -k * ox], [0, k, -k * oy]]), (REFIND_SIZE, REFIND_SIZE),
                                  flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            res = self._graph("face_refind").process(crop)
            if not res.multi_face_landmarks:
                return None
            pts = landmark_array(res.multi_face_landmarks[0]) * side
            # crop -> frame pixels -> normalised (z scales with x)
            pts[:, 0] = (pts[:, 0] + ox) / w
            pts[:, 1] = (pts[:, 1] + oy) / h
            pts[:, 2] = pts[:, 2] / w
            nx0, ny0, nx1, ny1 = face_boxes(pts, (w, h))[0]
            new_size = max(nx1 - nx0, ny1 - ny0, 1.0)
            if (np.hypot((nx0 + nx1) / 2 - cx, (ny0 + ny1) / 2 - cy) > REFIND_SHIFT * size
                    or not 1 / REFIND_SCALE <= new_size / size <= REFIND_SCALE):
                return None
            faces.append(pts)
        return np.array(faces, np.float32).reshape(-1, 478, 3)

    def _small_faces(self, rgb: np.ndarray, small: np.ndarray) -> np.ndarray:
        """Fallback for faces too small for the mesh's detector: full-range detection, then the
        mesh on an upscaled square crop of the full-resolution frame around each face."""
        det = self._graph("face_detection").process(small)
        faces = []
        h, w = rgb.shape[:2]
        for d in (det.detections or [])[: self.max_faces]:
            bb = d.location_data.relative_bounding_box
            cx, cy = (bb.xmin + bb.width / 2) * w, (bb.ymin + bb.height / 2) * h
            side = 2.2 * max(bb.width * w, bb.height * h)
            if side < 8:
                continue
            n = 256
            k = n / side
            M = np.float32([[k, 0, n / 2 - k * cx], [0, k, n / 2 - k * cy]])
            crop = cv2.warpAffine(rgb, M, (n, n), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            res = self._graph("face_crop").process(crop)
            if not res.multi_face_landmarks:
                continue
            pts = landmark_array(res.multi_face_landmarks[0]) * n
            # crop pixels -> frame pixels -> normalised (z scales with x)
            pts[:, 0] = (pts[:, 0] - M[0, 2]) / k / w
            pts[:, 1] = (pts[:, 1] - M[1, 2]) / k / h
            pts[:, 2] = pts[:, 2] / k / w
            faces.append(pts)
        return np.array(faces, np.float32).reshape(-1, 478, 3)

    def _real_faces(self, rgb: np.ndarray, faces: np.ndarray, small: np.ndarray | None = None) -> np.ndarray:
        """`faces` without those on another face's body that are not found again on most of their
        recent frames (a tie keeps the last decision), then cut back to max_faces (the faces that
        are on a body are left out first, then the smallest)."""
        h, w = rgb.shape[:2]
        suspects = faces_on_bodies(faces, (w, h)) if len(faces) > 1 else []
        # a face's record outlives a few frames in which the mesh lost it
        prev = [(c, hist, kept, age + 1) for c, hist, kept, age in self._checks]
        checks, drop = [], []
        for i in suspects:
            x0, y0, x1, y1 = face_boxes(faces[i], (w, h))[0]
            history, kept = [], True
            for j, (c, hist, was_kept, _) in enumerate(prev):  # the same face a moment ago
                if x0 <= c[0] <= x1 and y0 <= c[1] <= y1:
                    history, kept = hist, was_kept
                    del prev[j]
                    break
            history = (history + [self._found_again(rgb, faces[i], small)])[-PRINT_CHECK_VOTES:]
            votes = 2 * sum(history) - len(history)
            kept = votes > 0 or (votes == 0 and kept)
            checks.append((np.float32([(x0 + x1) / 2, (y0 + y1) / 2]), history, kept, 0))
            if not kept:
                drop.append(i)
        self._checks = checks + [e for e in prev if e[3] < PRINT_CHECK_VOTES]
        if len(faces) - len(drop) > self.max_faces:
            keep = [i for i in range(len(faces)) if i not in drop]
            on_body = set(suspects)
            height = np.ptp(faces[:, :, 1], axis=1)
            keep.sort(key=lambda i: (i in on_body, -height[i]))
            drop += keep[self.max_faces:]
        return np.delete(faces, drop, axis=0) if drop else faces

    def _found_again(self, rgb: np.ndarray, face: np.ndarray, small: np.ndarray | None = None) -> bool:
        """Whether the face mesh, finding faces from scratch on a crop around `face` (normalised
        landmarks), finds one with its eyes where `face` has them. `small`: the frame at working size."""
        h, w = rgb.shape[:2]
        pts = face[:, :2] * np.float32([w, h])
        (x0, y0), (x1, y1) = pts.min(0), pts.max(0)
        side = int(np.ceil(PRINT_CHECK_CROP * max(x1 - x0, y1 - y0, 1.0)))
        n = PRINT_CHECK_SIZE
        ox, oy = (x0 + x1) / 2 - side / 2, (y0 + y1) / 2 - side / 2  # crop origin in frame pixels
        src, sx, sy = rgb, 1.0, 1.0
        if small is not None and small.shape[1] * side >= PRINT_CHECK_FROM_SMALL * n * w:
            src, sx, sy = small, small.shape[1] / w, small.shape[0] / h
        m = max(n, int(np.ceil(side * sx)))  # side of the cut in `src` pixels
        k = m / side  # cut pixels per frame pixel
        crop = cv2.warpAffine(src, np.float32([[k / sx, 0, -k * ox], [0, k / sy, -k * oy]]), (m, m),
                              flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        if m > n:  # cut at the source's scale, then average down (a warp would alias a big face)
            crop = cv2.resize(crop, (n, n), interpolation=cv2.INTER_AREA)
        res = self._graph("face_check").process(np.ascontiguousarray(crop))
        if not res.multi_face_landmarks:
            return False
        eyes = (RIGHT_IRIS_CENTRE, LEFT_IRIS_CENTRE)
        lm = res.multi_face_landmarks[0].landmark
        found = np.float32([(ox + lm[i].x * side, oy + lm[i].y * side) for i in eyes])
        tracked = pts[list(eyes)]
        eye_distance = max(float(np.hypot(*(tracked[1] - tracked[0]))), 1.0)
        return float(np.hypot(*(found - tracked).T).max()) <= PRINT_CHECK_EYES * eye_distance

    def smooth_raw(self, raw: RawFrame, timestamp: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        faces = self._face_smoother(list(raw.faces), timestamp)
        hands = self._hand_smoother(list(raw.hands), timestamp)
        return faces, hands

    def reset(self) -> None:
        self._checks = []
        self._last_faces = np.zeros((0, 478, 3), np.float32)
        self._refound = 0
        self._face_smoother.reset()
        self._hand_smoother.reset()

    def track(self, rgb: np.ndarray, timestamp: float, needs=None) -> FrameTracking:
        """Tracking of `rgb` in its own pixels; `timestamp` in seconds drives the smoothing."""
        raw = self.track_raw(rgb, needs)
        h, w = rgb.shape[:2]
        if not self.smooth:
            return raw_to_tracking(raw, (w, h))
        faces, hands = self.smooth_raw(raw, timestamp)
        return raw_to_tracking(raw, (w, h), faces, hands)
