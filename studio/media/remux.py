"""A stream copy of a recording into a platform MP4: the live safety recording (H.264 + AAC in
crash-safe Matroska) becomes an MP4 in seconds, without re-encoding an hour of stream.

A killed process leaves a Matroska file without an index whose last packet may be torn: packets
are copied in file order up to the damage, and the MP4 is written beside the target and moved
into place only when complete, so a failed copy never leaves a half file under the real name.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av

from studio.media.errors import MediaError, MediaWriteError, av_reason


@dataclass(frozen=True)
class Remuxed:
    path: Path
    duration: float  # seconds of video copied
    video_packets: int
    audio_packets: int


def remux_to_mp4(src: str | os.PathLike, dst: str | os.PathLike) -> Remuxed:
    """Copies the first video and audio streams of `src` into the MP4 `dst` (+faststart)."""
    src, dst = Path(src), Path(dst)
    try:
        inp = av.open(str(src))
    except (OSError, av.error.FFmpegError) as exc:
        raise MediaError(src, f"cannot be read ({av_reason(exc)})", reason=av_reason(exc)) from None
    tmp = dst.with_name(f".{dst.name}.part")
    try:
        streams = list(inp.streams.video[:1]) + list(inp.streams.audio[:1])
        if not inp.streams.video:
            raise MediaError(src, "has no video to copy")
        frame = 1 / float(inp.streams.video[0].average_rate or 30)
        try:
            out = av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"})
        except (OSError, av.error.FFmpegError) as exc:
            raise MediaWriteError(dst, f"cannot be written ({av_reason(exc)})", reason=av_reason(exc)) from None
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
