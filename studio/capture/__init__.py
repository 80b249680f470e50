"""Webcam capture: camera and file sources, the take state machine, crash-safe recording, recovery.

No Qt here: the window drives these classes. See session.py for the threads and finalise.py for
how a take becomes an MP4 + project."""
from studio.capture.errors import CaptureError
from studio.capture.finalising import FinalisedTake, finalise, find_unfinished, recover, write_take_project
from studio.capture.frames import AudioChunk, CameraFrame
from studio.capture.microphone import NO_MICROPHONE, Microphone, open_chosen_microphone, open_microphone
from studio.capture.recorder import (COUNTDOWN_CHOICES, MAX_PRESETS, SPEEDS, Recorder, Segment, State,
                                     countdown_sound)
from studio.capture.session import CaptureSession, Take, TakeResult, TakeSettings
from studio.capture.takes import DeletedTake, TakeBin, sweep_dead_bins, take_files
from studio.capture.sources import (NO_CAMERA, CameraInfo, CameraSource, DeviceCamera, FileCamera, list_cameras,
                                    open_camera)

__all__ = [
    "COUNTDOWN_CHOICES", "MAX_PRESETS", "NO_CAMERA", "NO_MICROPHONE", "SPEEDS", "AudioChunk", "CameraFrame",
    "CameraInfo", "CameraSource", "CaptureError", "CaptureSession", "DeletedTake", "DeviceCamera", "FileCamera",
    "FinalisedTake",
    "Microphone", "Recorder", "Segment", "State", "Take", "TakeBin", "TakeResult", "TakeSettings", "countdown_sound",
    "finalise", "find_unfinished", "list_cameras", "open_camera", "open_chosen_microphone", "open_microphone", "recover",
    "sweep_dead_bins", "take_files", "write_take_project",
]
