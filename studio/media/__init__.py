"""Media layer: probing, frame-accurate decoding, audio loading/mixing and loudness, encoding, the
crash-safe recording, sound devices. The only package that uses PyAV (an import-linter contract in
pyproject.toml keeps it so): what a container or codec needs is decided here, once."""
from studio.media.audio import change_speed, fade, load_audio
from studio.media.decode import StillReader, VideoReader, open_visual
from studio.media.errors import MediaError
from studio.media.probe import MediaInfo, probe

VisualReader = VideoReader | StillReader

# Loudness and mixing pull in scipy.signal (~0.9 s of start-up): loaded on first use, so the
# window and the command line start without them.
_LAZY = {"Loudness": "loudness", "measure": "loudness", "normalize": "loudness",
         "AudioPlacement": "mix", "mix": "mix"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"studio.media.{_LAZY[name]}")
        # importing the submodule bound its name ("mix") on this package: put the functions back
        for lazy, source in _LAZY.items():
            if source == _LAZY[name]:
                globals()[lazy] = getattr(module, lazy)
        return globals()[name]
    raise AttributeError(f"module 'studio.media' has no attribute {name!r}")


__all__ = [
    "AudioPlacement", "Loudness", "MediaError", "MediaInfo", "StillReader", "VideoReader", "VisualReader",
    "change_speed", "fade", "load_audio", "measure", "mix", "normalize", "open_visual", "probe",
]
