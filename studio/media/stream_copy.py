"""A finished MP4 again under other tags: every stream copied packet for packet (video, audio and
the mov_text subtitles; nothing decoded or re-encoded), +faststart, and the container's tags
replaced. A batch renders one picture once and publishes it for several platforms this way
(studio.render.batch): the copies play exactly what the render wrote."""
from __future__ import annotations

import os
from pathlib import Path

import av

from studio.media.errors import MediaError, MediaWriteError, av_reason


def copy_with_tags(src: str | os.PathLike, dst: str | os.PathLike, metadata: dict[str, str]) -> int:
    """Writes `dst` (an MP4, which the caller makes atomic) from the streams of `src` with the
    container tags `metadata`; each stream keeps its own tags (language, handler). Returns the
    number of packets copied."""
    try:
        inp = av.open(str(src))
    except (OSError, av.error.FFmpegError) as exc:
        raise MediaError(src, f"cannot be read ({av_reason(exc)})", reason=av_reason(exc)) from None
    with inp:
        streams = [s for s in inp.streams if s.type in ("video", "audio", "subtitle")]
        try:
            out = av.open(str(dst), "w", format="mp4", options={"movflags": "+faststart"})
        except (OSError, av.error.FFmpegError) as exc:
            raise MediaWriteError(dst, f"cannot be written ({av_reason(exc)})", reason=av_reason(exc)) from None
        copied = 0
        try:
            out.metadata.update(metadata)
            mapping = {}
            for s in streams:
                o = out.add_stream_from_template(s)
                if s.type == "subtitle" and s.codec_context.extradata:
                    o.codec_context.extradata = _without_btrt(s.codec_context.extradata)
                o.metadata.update(s.metadata)
                o.time_base = s.time_base
                mapping[s.index] = o
            for packet in inp.demux(*streams):
                if packet.size == 0 and packet.dts is None:
                    continue  # the demuxer's end-of-stream packets
                packet.stream = mapping[packet.stream.index]
                out.mux(packet)
                copied += 1
            out.close()
        except av.error.FFmpegError as exc:
            try:
                out.close()
            except av.error.FFmpegError:
                pass
            raise MediaWriteError(dst, f"cannot be written ({av_reason(exc)})", reason=av_reason(exc)) from None
    return copied


def _without_btrt(extradata: bytes) -> bytes:
    """A tx3g sample description as the encoder made it: FFmpeg's MP4 reader hands the bit-rate
    box (btrt) that follows it over as part of it, and the writer adds its own again."""
    while len(extradata) >= 20 and extradata[-20:-16] == (20).to_bytes(4, "big") and extradata[-16:-12] == b"btrt":
        extradata = extradata[:-20]
    return extradata


def stream_packets(path: str | os.PathLike) -> dict[str, list[tuple[float | None, bytes]]]:
    """(seconds, bytes) of every packet per stream kind: what a copy must keep the same."""
    out: dict[str, list] = {}
    with av.open(str(Path(path))) as container:
        for packet in container.demux():
            if packet.size == 0:
                continue
            t = float(packet.pts * packet.time_base) if packet.pts is not None else None
            out.setdefault(packet.stream.type, []).append((t, bytes(packet)))
    return out
