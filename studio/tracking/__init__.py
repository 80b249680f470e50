"""Face / hand / person tracking with MediaPipe, smoothed and cached per source clip."""
from studio.tracking.cache import TrackingCache, tracking_for
from studio.tracking.gestures import GESTURES, classify_gesture, finger_states
from studio.tracking.one_euro import OneEuroFilter, SetSmoother
from studio.tracking.tracker import MODEL_VERSION, PARTS, RawFrame, Tracker
from studio.tracking.types import FaceLandmarks, FrameTracking, HandLandmarks, PersonMask, mirror_tracking

__all__ = [
    "TrackingCache", "tracking_for", "GESTURES", "classify_gesture", "finger_states", "OneEuroFilter",
    "SetSmoother", "MODEL_VERSION", "PARTS", "RawFrame", "Tracker", "FaceLandmarks", "FrameTracking",
    "HandLandmarks", "PersonMask", "mirror_tracking",
]
