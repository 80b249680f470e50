"""Streams copied packet for packet into an MP4 (+faststart; nothing decoded or re-encoded):

- `copy_with_tags`: a finished MP4 again under other tags, video, audio and the mov_text
  subtitles. A batch renders one picture once and publishes it for several platforms this way
  (studio.render.batch): the copies play exactly what the render wrote.
- `remux_to_mp4`: a recording into a platform MP4. The live safety recording (H.264 + AAC in
  crash-safe Matroska) becomes an MP4 in seconds, without re-encoding an hour of stream. A killed
  process leaves a Matroska file without an index whose last packet may be torn: packets are
  copied in file order up to the damage, and the MP4 is written beside the target and moved into
  place only when complete, so a failed copy never leaves a half file under the real name.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av

from studio.media.errors import MediaError, MediaWriteError, av_reason


def _open_input(src):
    try:
        return av.open(str(src))
    except (OSError, av.error.FFmpegError) as exc:
        raise MediaError(src, f"cannot be read ({av_reason(exc)})", reason=av_reason(exc)) from None


def _open_mp4(path, shown=None):
    """`path` opened for writing; an error names `shown` (the file the user asked for), else `path`."""
    try:
        return av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
    except (OSError, av.error.FFmpegError) as exc:
        raise MediaWriteError(shown or path, f"cannot be written ({av_reason(exc)})",
                              reason=av_reason(exc)) from None


def copy_with_tags(src: str | os.PathLike, dst: str | os.PathLike, metadata: dict[str, str]) -> int:
    """Writes `dst` (an MP4, which the caller makes atomic) from the streams of `src` with the
    container tags `metadata`; each stream keeps its own tags (language, handler). Returns the
    number of packets copied."""
    with _open_input(src) as inp:
        streams = [s for s in inp.streams if s.type in ("video", "audio", "subtitle")]
        out = _open_mp4(dst)
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


@dataclass(frozen=True)
class Remuxed:
    path: Path
    duration: float  # seconds of video copied
    video_packets: int
    audio_packets: int


def remux_to_mp4(src: str | os.PathLike, dst: str | os.PathLike) -> Remuxed:
    """Copies the first video and audio streams of `src` into the MP4 `dst` (+faststart)."""
    src, dst = Path(src), Path(dst)
    inp = _open_input(src)
    tmp = dst.with_name(f".{dst.name}.part")
    try:
        streams = list(inp.streams.video[:1]) + list(inp.streams.audio[:1])
        if not inp.streams.video:
            raise MediaError(src, "has no video to copy")
        frame = 1 / float(inp.streams.video[0].average_rate or 30)
        out = _open_mp4(tmp, shown=dst)
        counts = {"video": 0, "audio": 0}
        first = last = None
        try:
            mapping = {s.index: out.add_stream_from_template(s) for s in streams}
            last_dts: dict[int, int] = {}
            try:
                for packet in inp.demux(*streams):
                    if packet.size == 0 or (packet.dts is None and packet.pts is None):
                        continue  # the demuxer's end-of-stream packets
                    if packet.dts is None:  # Matroska keeps no decode times; the live encode has no B-frames
                        packet.dts = packet.pts
                    index = packet.stream.index
                    if packet.dts <= last_dts.get(index, -(1 << 62)):
                        continue  # a repeated packet after the damage of a killed recording
                    last_dts[index] = packet.dts
                    kind = packet.stream.type
                    if kind == "video":
                        t = float(packet.pts * packet.time_base) if packet.pts is not None else None
                        if t is not None:
                            first = t if first is None else min(first, t)
                            last = t if last is None else max(last, t)
                    packet.stream = mapping[index]
                    out.mux(packet)
                    counts[kind] += 1
            except av.error.FFmpegError:
                pass  # a torn last packet: everything before it is kept
            out.close()
        except av.error.FFmpegError as exc:
            out.close()
            raise MediaWriteError(dst, f"cannot be written ({av_reason(exc)})", reason=av_reason(exc)) from None
        if counts["video"] == 0:
            raise MediaError(src, "holds no pictures")
        os.replace(tmp, dst)
    finally:
        inp.close()
        tmp.unlink(missing_ok=True)
    return Remuxed(dst, (last - first + frame) if first is not None else 0.0, counts["video"], counts["audio"])


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
