"""What a media file holds: kind, display size, rate, duration, streams.

``probe`` opens the file with PyAV (or PIL for stills) and decodes the first
video frame, so truncated or corrupt files fail here, early, with a MediaError.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from studio.media.errors import MediaError, check_readable_file, describe_av_error
from studio.media.mp4_boxes import check_complete

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"})
# Single-picture demuxers: such a file is a still whatever its extension says.
_IMAGE_DEMUXERS = ("image2", "_pipe")
_VFR_PACKETS = 60
# Containers of real video, audio and pictures. FFmpeg also "plays" text files (tty), subtitles,
# playlists and concat lists that pull in other files: a received project must not be able to put
# ../secrets.txt into a published short, so a source is accepted only by what its content is.
_MEDIA_DEMUXERS = frozenset({
    "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "flv", "mpegts", "mpeg", "mpegvideo",
    "m4v", "h264", "hevc", "ivf", "mxf", "dv", "nut", "asf", "rm", "ogg", "wav", "w64", "mp3", "flac", "aac",
    "ac3", "eac3", "caf", "aiff", "amr", "wv", "ape", "tta", "gif", "apng", "image2", "mjpeg", "yuv4mpegpipe",
})


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    kind: str  # "video" | "image" | "audio"
    duration: float  # seconds; 0 for images
    width: int  # display size, i.e. after the rotation metadata
    height: int
    fps: Fraction | None  # average rate; None for image/audio
    rotation: int  # counter-clockwise degrees the display matrix asks for: 0/90/180/270
    has_video: bool
    has_audio: bool
    vfr: bool
    video_codec: str = ""
    pix_fmt: str = ""
    bit_depth: int = 8
    audio_rate: int = 0
    audio_channels: int = 0
    start_time: float = 0.0  # seconds of the first video frame in the container's clock
    audio_codec: str = ""  # the first audio stream's codec ("aac"), "" without one


def probe(path: str | os.PathLike) -> MediaInfo:
    """Describe ``path``; raise MediaError when it is missing, empty, not media, or has nothing decodable."""
    p = check_readable_file(path)
    check_complete(p)
    if p.suffix.lower() in IMAGE_EXTENSIONS:
        return _probe_image(p)
    try:
        with av.open(str(p)) as container:
            names = set(container.format.name.split(","))
            if not names & _MEDIA_DEMUXERS and not any(n.endswith("_pipe") for n in names):
                raise MediaError(p, f"not a video, audio or image file (it reads as '{container.format.long_name}')")
            if any(tag in container.format.name for tag in _IMAGE_DEMUXERS):
                return _probe_image(p)
            return _probe_av(p, container)
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise MediaError(p, describe_av_error(exc)) from None


def video_stream(container):
    """The main video stream, ignoring cover-art pictures; None when there is none."""
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def first_video_frame(container, stream, max_packets: int = 600):
    """Decode until the first good frame; returns (frame or None, pts of the first ~60 packets)."""
    pts: list[int] = []
    frame = None
    try:
        for count, packet in enumerate(container.demux(stream)):
            if packet.pts is not None:
                pts.append(packet.pts)
            if frame is None:
                try:
                    frame = next((f for f in stream.decode(packet) if not f.is_corrupt), None)
                except av.error.FFmpegError:
                    pass  # a damaged packet; a later keyframe may still decode
            # Keep demuxing (cheap, no decoding) to collect timestamps for the VFR check.
            if (frame is not None and len(pts) >= _VFR_PACKETS) or count > max_packets:
                break
    except av.error.FFmpegError:
        pass  # demuxing hit the cut of a truncated file
    if frame is None:  # the decoder may still hold the frame (frame threading, tiny files)
        try:
            frame = next((f for f in stream.decode(None) if not f.is_corrupt), None)
        except av.error.FFmpegError:
            frame = None
    return frame, pts


def snap_rotation(degrees: float | None) -> int:
    return (int(round((degrees or 0) / 90.0)) * 90) % 360


def _is_vfr(stream, pts: list[int]) -> bool:
    if len(pts) >= 3:
        ordered = np.unique(np.asarray(pts, dtype=np.int64))
        # Packets come in decode order (B-frames): the latest timestamps may still have gaps.
        d = np.diff(ordered[: max(3, len(ordered) * 3 // 4)])
        if len(d) >= 2:
            med = float(np.median(d))
            return float(d.max() - d.min()) > max(2.0, 0.25 * med)
    base, avg = stream.base_rate, stream.average_rate
    if base and avg:
        return abs(float(base) - float(avg)) > 0.05 * float(avg)
    return False


def _duration(container, stream) -> float:
    if stream is not None and stream.duration is not None and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _probe_av(p: Path, container) -> MediaInfo:
    vstream = video_stream(container)
    astream = container.streams.audio[0] if container.streams.audio else None
    if vstream is None and astream is None:
        raise MediaError(p, "no video or audio stream")
    audio_rate = astream.codec_context.sample_rate if astream else 0
    audio_channels = astream.codec_context.channels if astream else 0
    audio_codec = astream.codec_context.name if astream else ""
    if vstream is None:
        _check_audio_decodes(p, container, astream)
        return MediaInfo(p, "audio", _duration(container, astream), 0, 0, None, 0, False, True, False,
                         audio_rate=audio_rate, audio_channels=audio_channels, audio_codec=audio_codec)

    frame, pts = first_video_frame(container, vstream)
    if frame is None:
        raise MediaError(p, "truncated, no decodable video frames")
    rotation = snap_rotation(frame.rotation)
    w, h = frame.width, frame.height
    if rotation in (90, 270):
        w, h = h, w
    fmt = frame.format.name
    try:
        bits = av.VideoFormat(fmt).components[0].bits
    except (ValueError, IndexError):
        bits = 8
    fps = vstream.average_rate or vstream.guessed_rate or vstream.base_rate
    start = float(frame.time) if frame.time is not None else 0.0
    return MediaInfo(
        path=p, kind="video", duration=_duration(container, vstream), width=w, height=h,
        fps=Fraction(fps) if fps else None, rotation=rotation, has_video=True,
        has_audio=astream is not None, vfr=_is_vfr(vstream, pts),
        video_codec=vstream.codec_context.name, pix_fmt=fmt, bit_depth=int(bits),
        audio_rate=audio_rate, audio_channels=audio_channels, start_time=start, audio_codec=audio_codec,
    )


def _check_audio_decodes(p: Path, container, astream) -> None:
    try:
        for packet in container.demux(astream):
            try:
                if packet.size and astream.decode(packet):
                    return
            except av.error.FFmpegError:
                continue
    except av.error.FFmpegError:
        pass
    raise MediaError(p, "truncated, no decodable audio")


_EXIF_ROTATION = {3: 180, 6: 270, 8: 90, 5: 90, 7: 270}


def _probe_image(p: Path) -> MediaInfo:
    from PIL import UnidentifiedImageError

    from studio.library.images import ImageLimitError, open_image

    try:
        with open_image(p) as img:  # the header's size is checked before any pixel is decoded
            orientation = img.getexif().get(0x0112, 1)
            img.load()  # catches truncated files, which open() alone does not
            w, h = img.size
            mode = img.mode
    except ImageLimitError as exc:
        raise MediaError(p, exc.problem) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        msg = "not an image or corrupt" if isinstance(exc, UnidentifiedImageError) else f"corrupt image ({exc})"
        raise MediaError(p, msg) from None
    rotation = _EXIF_ROTATION.get(orientation, 0)
    if orientation in (5, 6, 7, 8):
        w, h = h, w
    bits = 16 if mode.startswith("I;16") or mode == "I" else 8
    return MediaInfo(p, "image", 0.0, w, h, None, rotation, True, False, False,
                     video_codec=p.suffix.lower().lstrip("."), pix_fmt=mode, bit_depth=bits)
