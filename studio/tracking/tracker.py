"""MediaPipe behind one object: track a frame at a small working size, map results back to pixels.

Uses the legacy `mp.solutions` graphs (face mesh with iris, hands, selfie segmentation): on this
machine they measured faster than the Tasks API equivalents for the same bundled models (face mesh
~4 ms, landscape segmentation ~2 ms, lite hands ~7 ms at 512x384), and they run their own ROI
tracking between frames in video mode.
"""
from __future__ import annotations

import contextlib
import os

from dataclasses import dataclass

import cv2
import numpy as np

from studio.tracking.gestures import classify_gesture
from studio.tracking.one_euro import SetSmoother
from studio.tracking.types import FaceLandmarks, FrameTracking, HandLandmarks, PersonMask

PARTS = frozenset({"face", "hands", "segmentation"})
MODEL_VERSION = "mediapipe-0.10.21/facemesh-iris+hands-lite+selfie-landscape/v1"


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


@contextlib.contextmanager
def _native_stderr_silenced():
    """MediaPipe's C++ side prints INFO/WARNING lines (XNNPACK delegate, feedback tensors) straight
    to file descriptor 2 when a graph first runs; a creator's terminal should not fill with them.
    Only the few milliseconds of the first run are silenced."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


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
        self.calls = 0  # frames run through MediaPipe (tests check that a cached clip makes none)

    # -- MediaPipe graphs, created lazily so a face-only chain never loads the hand model --
    def _graph(self, part: str):
        g = self._graphs.get(part)
        if g is None:
            import mediapipe as mp

            # Silenced from construction on: the graph opens its calculators on MediaPipe's own
            # threads, so TFLite's log line can start before the first process() call (a half line
            # "INFO: " left in the terminal, which the next message of ours then continued).
            with _native_stderr_silenced():
                g = self._new_graph(mp, part)
                g.process(np.zeros((64, 64, 3), np.uint8))  # first run: TFLite logs its delegate setup
            self._graphs[part] = g
        return g

    def _new_graph(self, mp, part: str):
        if part == "face":
            g = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=self.max_faces,
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
        small = rgb if ws == (w, h) else cv2.resize(rgb, ws, interpolation=cv2.INTER_AREA)
        small = np.ascontiguousarray(small)
        raw = RawFrame.empty(needs)
        if "face" in needs:
            res = self._graph("face").process(small)
            if res.multi_face_landmarks:
                raw.faces = np.array([[(p.x, p.y, p.z) for p in f.landmark] for f in res.multi_face_landmarks],
                                     np.float32)
            else:
                raw.faces = self._small_faces(rgb, small)
        if "hands" in needs:
            res = self._graph("hands").process(small)
            if res.multi_hand_landmarks:
                raw.hands = np.array([[(p.x, p.y, p.z) for p in hnd.landmark] for hnd in res.multi_hand_landmarks],
                                     np.float32)
                # MediaPipe labels hands as if the image were mirrored (selfie view); our frames are
                # camera-native, so its "Left" is the subject's right hand.
                raw.handedness = np.array([1 if c.classification[0].label == "Left" else 0
                                           for c in res.multi_handedness], np.int8)
        if "segmentation" in needs:
            res = self._graph("segmentation").process(small)
            raw.mask = np.clip(res.segmentation_mask * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return raw

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
            pts = np.array([(p.x, p.y, p.z) for p in res.multi_face_landmarks[0].landmark], np.float32) * n
            # crop pixels -> frame pixels -> normalised (z scales with x)
            pts[:, 0] = (pts[:, 0] - M[0, 2]) / k / w
            pts[:, 1] = (pts[:, 1] - M[1, 2]) / k / h
            pts[:, 2] = pts[:, 2] / k / w
            faces.append(pts)
        return np.array(faces, np.float32).reshape(-1, 478, 3)

    def smooth_raw(self, raw: RawFrame, timestamp: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        faces = self._face_smoother(list(raw.faces), timestamp)
        hands = self._hand_smoother(list(raw.hands), timestamp)
        return faces, hands

    def reset(self) -> None:
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
