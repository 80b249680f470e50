"""The encode settings of a live stream, its encoders and the containers its packets go to
(studio.live streams them; the H.264/AAC choices live here, with every other encode's).

One H.264 and one AAC encoder (standalone codec contexts) feed every output: the network
container and the safety recording receive the very same packets. Each output container gets
streams built with the same settings, which PyAV opens to fill in the stream headers (FLV's avcC
and AudioSpecificConfig, Matroska's CodecPrivate); those encoders never see a frame. x264 also
repeats SPS/PPS in front of every keyframe (repeat-headers), so a connection that starts at any
keyframe, and MPEG-TS (SRT), which has no global header, decode from their first packet on.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

import numpy as np

from studio.media.errors import MediaWriteError, av_reason

VIDEO_TIME_BASE = Fraction(1, 1000)
AUDIO_KBPS = 128
KEYFRAME_SECONDS = 2
# Platform guidance for H.264 at 30 fps (YouTube/Twitch/TikTok): by the short side of the picture.
KBPS_BY_SHORT_SIDE = ((480, 1200), (540, 1800), (720, 2500), (1080, 4500), (1440, 9000))
FORMATS = {"rtmp": "flv", "rtmps": "flv", "srt": "mpegts"}
UNSUPPORTED = "protocol not in this FFmpeg build"


def default_kbps(size: tuple[int, int]) -> int:
    short = min(size)
    for side, kbps in KBPS_BY_SHORT_SIDE:
        if short <= side:
            return kbps
    return 15000


class Settings:
    """What both the real encoders and each container's stream headers are built from."""

    def __init__(self, size: tuple[int, int], fps: int, video_kbps: int, audio_rate: int):
        w, h = size
        self.size = (w - w % 2, h - h % 2)  # yuv420p needs even sizes
        self.fps, self.video_kbps, self.audio_rate = int(fps), int(video_kbps), int(audio_rate)

    def video_options(self) -> dict[str, str]:
        gop = str(KEYFRAME_SECONDS * self.fps)
        kbps = f"{self.video_kbps}k"
        # CBR as ingests ask for it: bitrate = maxrate, a 1 s buffer, HRD signalled; a keyframe
        # every 2 s exactly (no scene-cut keyframes); zerolatency: no lookahead, no B-frames.
        return {"preset": "veryfast", "tune": "zerolatency", "b": kbps, "maxrate": kbps, "bufsize": kbps,
                "nal-hrd": "cbr", "g": gop, "keyint_min": gop, "sc_threshold": "0", "forced-idr": "1",
                "x264-params": "repeat-headers=1"}

    def configure_video(self, ctx) -> None:
        ctx.width, ctx.height = self.size
        ctx.pix_fmt = "yuv420p"
        ctx.time_base = VIDEO_TIME_BASE
        ctx.framerate = Fraction(self.fps)
        ctx.bit_rate = self.video_kbps * 1000
        ctx.gop_size = KEYFRAME_SECONDS * self.fps

    def encoders(self):
        """The one (video, audio) encoder pair of a stream."""
        video = av.CodecContext.create("libx264", "w")
        self.configure_video(video)
        video.flags |= av.codec.context.Flags.global_header
        video.options = self.video_options()
        audio = av.CodecContext.create("aac", "w")
        audio.sample_rate, audio.layout, audio.format = self.audio_rate, "stereo", "fltp"
        audio.bit_rate = AUDIO_KBPS * 1000
        audio.time_base = Fraction(1, self.audio_rate)
        audio.flags |= av.codec.context.Flags.global_header
        video.open()
        audio.open()
        return video, audio


class StreamEncoder:
    """The stream's one encoder pair: pictures and sound in, packets (PyAV's) out. Not thread-safe:
    the encoder thread alone calls it."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._video, self._audio = settings.encoders()

    def video(self, rgb: np.ndarray, pts_ms: int, keyframe: bool = False) -> list:
        w, h = self.settings.size
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[:h, :w]), format="rgb24")
        frame.pts, frame.time_base = pts_ms, VIDEO_TIME_BASE
        if keyframe:
            frame.pict_type = av.video.frame.PictureType.I
        return self._video.encode(frame)

    def audio(self, samples: np.ndarray, pts: int) -> list:
        """(n, 2) float32 samples starting at sample `pts` of the stream."""
        rate = self.settings.audio_rate
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1),
                                           format="flt", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = rate, pts, Fraction(1, rate)
        return self._audio.encode(frame)

    def flush(self) -> tuple[list, list]:
        return self._video.encode(None), self._audio.encode(None)


class Muxer:
    """One output container (a network URL or the safety recording) taking finished packets.
    Opening it connects (for a URL) and writes the header; `write` may raise on a lost
    connection. The caller turns errors into words: they may quote the URL, key and all."""

    def __init__(self, target: str, fmt: str, settings: Settings, options: dict[str, str]):
        """MediaWriteError (its `reason` the system's words, which may quote the target) when the
        container cannot be opened or its header written."""
        try:
            self.container = av.open(target, "w", format=fmt, options=options)
        except av.error.ProtocolNotFoundError:  # e.g. srt:// where FFmpeg was built without libsrt
            raise MediaWriteError("the stream output cannot be opened", reason=UNSUPPORTED) from None
        except (OSError, av.error.FFmpegError, ValueError) as exc:
            raise MediaWriteError("the stream output cannot be opened", reason=av_reason(exc)) from None
        try:
            v = self.container.add_stream("libx264", rate=settings.fps, options=settings.video_options())
            settings.configure_video(v.codec_context)
            v.time_base = VIDEO_TIME_BASE
            a = self.container.add_stream("aac", rate=settings.audio_rate, layout="stereo")
            a.bit_rate = AUDIO_KBPS * 1000
            self._streams = {"video": v, "audio": a}
            self.container.start_encoding()
        except av.error.ProtocolNotFoundError:  # (PyAV opens the address here, not in av.open)
            self.abort()
            raise MediaWriteError("the stream output cannot be started", reason=UNSUPPORTED) from None
        except (OSError, av.error.FFmpegError, ValueError) as exc:
            self.abort()
            raise MediaWriteError("the stream output cannot be started", reason=av_reason(exc)) from None
        except BaseException:
            self.abort()
            raise

    def write(self, item) -> None:
        packet = av.Packet(item.data)
        packet.pts, packet.dts, packet.time_base = item.pts, item.dts, item.time_base
        packet.is_keyframe = item.is_keyframe
        packet.stream = self._streams[item.kind]
        self.container.mux(packet)

    def close(self) -> None:
        self.container.close()

    def abort(self) -> None:
        try:
            self.container.close()
        except Exception:  # giving up on this output; its closing error would hide why
            pass


def open_recording(path: Path, settings: Settings) -> Muxer:
    """Matroska flushed every 200 ms, as studio.media.recording does for takes: a killed process
    leaves a file that plays up to ~0.2 s before the kill. No tags: nothing about the stream's
    address (let alone its key) goes into this file. MediaWriteError when it cannot be written."""
    return Muxer(str(path), "matroska", settings, {"flush_packets": "1", "cluster_time_limit": "200"})
