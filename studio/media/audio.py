"""Audio as float32 (n, 2) arrays: loading, tempo change, fades.

Source time 0 is the same instant as the video's time 0 (the first video frame)
so that ``load_audio(path, start=t)`` stays in sync with ``frame_at(t)``.
"""
from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

from studio.media.errors import MediaError, check_readable_file, describe_av_error

_CHUNK = 4096  # samples per frame pushed through the tempo filter


def load_audio(path: str | os.PathLike, rate: int = 48000, start: float = 0.0,
               duration: float | None = None, pad: bool = True) -> np.ndarray:
    """Decode the first audio stream to float32 stereo (n, 2) at ``rate``.

    Mono is duplicated to both channels; more channels are downmixed. With ``duration``
    only that span is decoded, and the result has exactly round(duration * rate) samples
    (zero padded past the end; with ``pad=False`` it stops where the file ends).
    Raises MediaError when the file is unusable or has no audio stream.
    """
    p = check_readable_file(path)
    try:
        with av.open(str(p)) as container:
            return _load(p, container, rate, float(start), duration, pad)
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(p, describe_av_error(exc)) from None


def _origin(container) -> float:
    """Container time of source time 0: the first video frame, else the audio start."""
    from studio.media.probe import first_video_frame, video_stream

    vs = video_stream(container)
    if vs is not None:
        frame, _ = first_video_frame(container, vs)
        container.seek(0, backward=True, stream=vs)
        if frame is not None and frame.time is not None:
            return float(frame.time)
    a = container.streams.audio[0]
    return float(a.start_time * a.time_base) if a.start_time is not None else 0.0


def audio_length(path: str | os.PathLike, rate: int = 48000) -> int:
    """How many samples ``load_audio(path, rate)`` returns, counted while decoding without keeping
    them: memory stays small however long the file is."""
    p = check_readable_file(path)
    counted = [0]

    def count(chunk: np.ndarray) -> None:
        counted[0] += chunk.shape[1]

    try:
        with av.open(str(p)) as container:
            want_from, first_time, _ = _decode(p, container, rate, 0.0, None, count)
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(p, describe_av_error(exc)) from None
    offset = int(round((want_from - first_time) * rate))
    return max(0, counted[0] - offset)


def _decode(p, container, rate: int, start: float, duration: float | None, sink) -> tuple[float, float, bool]:
    """Decode from source time ``start`` to ``duration`` later (to the end when None), handing
    resampled (channels, n) chunks to ``sink``; returns (container time wanted first, container
    time of the first decoded sample, mono)."""
    if not container.streams.audio:
        raise MediaError(p, "no audio stream")
    origin = _origin(container)
    stream = container.streams.audio[0]
    mono = stream.codec_context.channels == 1
    resampler = av.AudioResampler(format="fltp", layout="mono" if mono else "stereo", rate=rate)
    want_from = origin + max(start, 0.0)
    want_to = None if duration is None else want_from + duration
    if want_from > origin + 1.0:
        container.seek(int(Fraction(want_from - 0.5).limit_denominator(10**6) / stream.time_base),
                       backward=True, stream=stream)
    first_time, have = None, 0
    try:
        for packet in container.demux(stream):
            try:
                frames = stream.decode(packet)
            except av.error.FFmpegError:
                continue  # one damaged packet: skip it, keep the rest
            for frame in frames:
                if first_time is None:
                    first_time = float(frame.time) if frame.time is not None else origin
                for out in resampler.resample(frame):
                    sink(out.to_ndarray())
                    have += out.samples
            if want_to is not None and first_time is not None and first_time + have / rate > want_to + 0.1:
                break
    except av.error.FFmpegError:
        pass  # truncated file: keep what decoded
    if first_time is None:
        raise MediaError(p, "truncated, no decodable audio")
    for f in resampler.resample(None):
        sink(f.to_ndarray())
    return want_from, first_time, mono


def _load(p, container, rate: int, start: float, duration: float | None, pad: bool = True) -> np.ndarray:
    chunks: list[np.ndarray] = []
    want_from, first_time, mono = _decode(p, container, rate, start, duration, chunks.append)
    data = np.concatenate(chunks, axis=1).T if chunks else np.zeros((0, 1), np.float32)
    if mono:
        data = np.repeat(data[:, :1], 2, axis=1)
    offset = int(round((want_from - first_time) * rate))
    if offset < 0:  # audio begins after the requested start
        data = np.concatenate([np.zeros((-offset, 2), np.float32), data])
    else:
        data = data[offset:]
    if duration is not None:
        n = int(round(duration * rate))
        data = data[:n]
        if len(data) < n and pad:
            data = np.concatenate([data, np.zeros((n - len(data), 2), np.float32)])
    return np.ascontiguousarray(data, dtype=np.float32)


def _tempo_stages(speed: float) -> list[float]:
    # atempo sounds best within 0.5..2, so larger changes are a chain of stages.
    stages = []
    while speed > 2.0:
        stages.append(2.0)
        speed /= 2.0
    while speed < 0.5:
        stages.append(0.5)
        speed /= 0.5
    stages.append(speed)
    return stages


def change_speed(samples: np.ndarray, speed: float, rate: int = 48000) -> np.ndarray:
    """Play ``samples`` (n, 2) ``speed`` times faster keeping pitch; returns exactly round(n / speed) samples."""
    if speed <= 0:
        raise ValueError(f"speed must be > 0, not {speed}")
    samples = np.asarray(samples, np.float32)
    n_out = int(round(len(samples) / speed))
    if abs(speed - 1.0) < 1e-9 or len(samples) == 0:
        out = samples.copy()
    else:
        graph = av.filter.Graph()
        node = graph.add_abuffer(format="fltp", sample_rate=rate, layout="stereo", time_base=Fraction(1, rate))
        for stage in _tempo_stages(speed):
            nxt = graph.add("atempo", f"{stage:.9f}")
            node.link_to(nxt)
            node = nxt
        fmt = graph.add("aformat", "sample_fmts=fltp:channel_layouts=stereo")  # sink hands back planar
        node.link_to(fmt)
        fmt.link_to(graph.add("abuffersink"))
        graph.configure()
        planar = np.ascontiguousarray(samples.T)
        pieces = []
        for i in range(0, len(samples), _CHUNK):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planar[:, i:i + _CHUNK]),
                                               format="fltp", layout="stereo")
            frame.sample_rate, frame.pts, frame.time_base = rate, i, Fraction(1, rate)
            graph.push(frame)
            pieces.extend(_drain(graph))
        graph.push(None)
        pieces.extend(_drain(graph))
        out = np.concatenate(pieces, axis=1).T if pieces else np.zeros((0, 2), np.float32)
    out = out[:n_out]
    if len(out) < n_out:
        out = np.concatenate([out, np.zeros((n_out - len(out), 2), np.float32)])
    return np.ascontiguousarray(out, dtype=np.float32)


def _drain(graph) -> list[np.ndarray]:
    out = []
    while True:
        try:
            out.append(graph.pull().to_ndarray())
        except (av.error.BlockingIOError, av.error.EOFError):
            return out


def fade(samples: np.ndarray, fade_in_s: float, fade_out_s: float, rate: int = 48000,
         curve: str = "linear") -> np.ndarray:
    """A copy of ``samples`` with gain ramps at both ends; curve "linear" or "equal_power"."""
    out = np.array(samples, dtype=np.float32, copy=True)
    n = len(out)
    for seconds, at_start in ((fade_in_s, True), (fade_out_s, False)):
        k = min(n, int(round(max(seconds, 0.0) * rate)))
        if k <= 0:
            continue
        ramp = np.linspace(0.0, 1.0, k, endpoint=False, dtype=np.float32)
        if curve == "equal_power":
            ramp = np.sin(ramp * (np.pi / 2)).astype(np.float32)
        elif curve != "linear":
            raise ValueError(f"curve must be 'linear' or 'equal_power', not {curve!r}")
        if at_start:
            out[:k] *= ramp[:, None] if out.ndim == 2 else ramp
        else:
            out[n - k:] *= ramp[::-1, None] if out.ndim == 2 else ramp[::-1]
    return out
