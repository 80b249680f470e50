"""Media layer: probing, frame-accurate decoding, audio loading/mixing and loudness."""
from studio.media.audio import change_speed, fade, load_audio
from studio.media.decode import StillReader, VideoReader, open_visual
from studio.media.errors import MediaError
from studio.media.loudness import Loudness, measure, normalize
from studio.media.mix import AudioPlacement, mix
from studio.media.probe import MediaInfo, probe

VisualReader = VideoReader | StillReader

__all__ = [
    "AudioPlacement", "Loudness", "MediaError", "MediaInfo", "StillReader", "VideoReader", "VisualReader",
    "change_speed", "fade", "load_audio", "measure", "mix", "normalize", "open_visual", "probe",
]
