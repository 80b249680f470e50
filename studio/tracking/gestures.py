"""Rule-based hand gestures from the 21 MediaPipe hand landmarks (any units, image y down)."""
from __future__ import annotations

import numpy as np

GESTURES = ("open_palm", "peace", "thumbs_up", "pointing")

WRIST = 0
# (mcp, pip, dip, tip) for index, middle, ring, pinky
FINGERS = ((5, 6, 7, 8), (9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20))
THUMB = (1, 2, 3, 4)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def finger_states(points: np.ndarray) -> tuple[bool, bool, bool, bool, bool]:
    """(thumb, index, middle, ring, pinky) extended?"""
    p = np.asarray(points, dtype=np.float64)[:, :2]  # z of hand landmarks is too noisy to help
    wrist = p[WRIST]
    palm = np.linalg.norm(p[9] - wrist) + 1e-9  # wrist to middle-finger base: the hand's scale
    states = []
    # Thumb: straight-ish and its tip well away from the index/middle knuckles (a folded thumb
    # lies across them).
    cmc, mcp, ip, tip = (p[i] for i in THUMB)
    straight = _cos(ip - mcp, tip - ip) > 0.6
    away = np.linalg.norm(tip - p[5]) > 0.55 * palm and np.linalg.norm(tip - p[9]) > 0.75 * palm
    states.append(bool(straight and away))
    for mcp_i, pip_i, dip_i, tip_i in FINGERS:
        mcp, pip, tip = p[mcp_i], p[pip_i], p[tip_i]
        # Extended: the finger is straight and its tip is farther from the wrist than its middle
        # joint. A curled finger folds back towards the palm and fails both.
        straight = _cos(pip - mcp, tip - pip) > 0.5
        far = np.linalg.norm(tip - wrist) > 1.15 * np.linalg.norm(pip - wrist)
        states.append(bool(straight and far))
    return tuple(states)


def classify_gesture(points: np.ndarray) -> str | None:
    """One of GESTURES or None."""
    thumb, index, middle, ring, pinky = finger_states(points)
    p = np.asarray(points, dtype=np.float64)[:, :2]
    if index and middle and ring and pinky and thumb:
        return "open_palm"
    if index and middle and not ring and not pinky:
        return "peace"
    if index and not middle and not ring and not pinky:
        return "pointing"
    if thumb and not index and not middle and not ring and not pinky:
        d = p[4] - p[2]
        if d[1] < 0 and abs(d[1]) > abs(d[0]):  # the thumb points up (image y is down)
            return "thumbs_up"
    return None
