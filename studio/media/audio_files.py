"""Sound files written for keeping: an audio stream copied into an .m4a as it is, or samples
encoded to AAC-LC in one (a user's imported sound)."""
from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

from studio.media.errors import MediaWriteError, av_reason

# Audio codecs an MP4 holds as they are: copied out of a video without a second lossy encode
MP4_AUDIO_CODECS = frozenset({"aac", "mp3", "alac", "flac", "opus"})


def copy_audio_to_m4a(source: str | os.PathLike, target: str | os.PathLike) -> bool:
    """Copy the first audio stream's packets into an MP4 audio file without decoding (a video's
    AAC sound kept as it is, in a blink). False when the codec has no place in MP4 or the copy
    fails: the caller then encodes, overwriting whatever was started at `target`."""
    try:
        with av.open(str(source)) as inp:
            stream = inp.streams.audio[0]
            if stream.codec_context.name not in MP4_AUDIO_CODECS:
                return False
            with av.open(str(target), "w", format="mp4") as out:
                copy = out.add_stream_from_template(stream)
                for packet in inp.demux(stream):
                    if packet.dts is None:  # the demuxer's end-of-stream packet
                        continue
                    packet.stream = copy
                    out.mux(packet)
    except (av.error.FFmpegError, ValueError):
        return False
    return True


def write_m4a(samples: np.ndarray, rate: int, target: str | os.PathLike, bitrate: int) -> None:
    """(n, 2) float32 samples at `rate` as AAC-LC in an MP4 audio file. A disk that refuses the
    file raises OSError or MediaWriteError (its `reason` the system's words)."""
    try:
        with av.open(str(target), "w", format="mp4") as out:
            stream = out.add_stream("aac", rate=rate, layout="stereo")
            stream.bit_rate = bitrate
            for start in range(0, len(samples), rate):
                part = np.ascontiguousarray(samples[start:start + rate].T, dtype=np.float32)
                frame = av.AudioFrame.from_ndarray(part, format="fltp", layout="stereo")
                frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
    except av.error.FFmpegError as exc:
        raise MediaWriteError(target, f"cannot be written ({av_reason(exc)})", reason=av_reason(exc)) from None
