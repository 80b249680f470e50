"""A media file's own tags (title, artist, comment, ...), as PyAV reads them."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import av

from studio.media.errors import MediaError, av_reason, describe_av_error


@dataclass(frozen=True)
class FileTags:
    container: dict[str, str] = field(default_factory=dict)
    audio: dict[str, str] = field(default_factory=dict)  # the first audio stream's: Ogg keeps its tags there


def read_tags(path: str | os.PathLike) -> FileTags:
    """Raises MediaError when the file cannot be opened as media."""
    try:
        with av.open(str(path)) as container:
            audio = container.streams.audio
            return FileTags(dict(container.metadata), dict(audio[0].metadata) if audio else {})
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise MediaError(path, describe_av_error(exc), reason=av_reason(exc)) from None
