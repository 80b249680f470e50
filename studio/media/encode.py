"""H.264 High / AAC-LC MP4 writer through PyAV (libx264 and FFmpeg's AAC encoder ship in its wheel).

The one place that decides how a platform MP4 is encoded: exports, finished takes and the demo
clip all go through `Mp4Writer`. Export frames arrive as one I420 buffer (Y plane then U then V,
shape (h*3/2, w)), which the compositor writes into directly, so no full-frame colour conversion
or copy happens here; a take hands over the pictures its recording decoded to, as they are."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .errors import MediaError, MediaWriteError, av_reason
from .loudness import true_peak
from .soft_subtitles import MovTextTrack, SoftSubtitles

AUDIO_RATE = 48000
AAC_TRIES = 3  # each lowers the gain by the overshoot the codec added; one is almost always enough


def _aac_packets(encoder, samples: np.ndarray, chunk: int = AUDIO_RATE) -> list:
    packets: list = []
    written = 0
    for start in range(0, len(samples), chunk):
        part = np.ascontiguousarray(samples[start:start + chunk].T, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(part, format="fltp", layout="stereo")
        frame.sample_rate = AUDIO_RATE
        frame.pts = written
        frame.time_base = Fraction(1, AUDIO_RATE)
        written += part.shape[1]
        packets.extend(encoder.encode(frame))
    packets.extend(encoder.encode(None))
    return packets


def decode_aac(packets: list, extradata: bytes | None) -> np.ndarray:
    """What a player plays from AAC packets: float32 (n, 2) at 48 kHz."""
    decoder = av.CodecContext.create("aac", "r")
    decoder.sample_rate, decoder.layout, decoder.extradata = AUDIO_RATE, "stereo", extradata
    out = [f.to_ndarray() for p in packets for f in decoder.decode(p)]
    out += [f.to_ndarray() for f in decoder.decode(None)]
    return np.concatenate(out, axis=1).T if out else np.zeros((0, 2), np.float32)


def _aac_encoder(bitrate: int):
    """A stand-alone AAC-LC encoder set up as Mp4Writer's audio stream is (same rate, layout and
    bit rate, so the same AudioSpecificConfig): its packets can be muxed into that stream."""
    encoder = av.CodecContext.create("aac", "w")
    encoder.sample_rate, encoder.layout, encoder.bit_rate = AUDIO_RATE, "stereo", bitrate
    encoder.format = av.AudioFormat("fltp")
    encoder.time_base = Fraction(1, AUDIO_RATE)
    return encoder


def _aac_round_trip(samples: np.ndarray, bitrate: int) -> np.ndarray:
    encoder = _aac_encoder(bitrate)
    packets = _aac_packets(encoder, samples)
    return decode_aac(packets, encoder.extradata)


def fit_peaks_through_aac(samples: np.ndarray, max_true_peak_dbtp: float, bitrate: int) -> np.ndarray:
    """`samples` turned down just enough that, once AAC-encoded and decoded, their true peak stays
    at or under the ceiling: the codec's ringing adds up to a few dB to a limited mix, so a limiter
    on the PCM alone does not keep the promise the file is measured against."""
    for _ in range(AAC_TRIES):
        peak = true_peak(_aac_round_trip(samples, bitrate))
        over = 20 * np.log10(max(peak, 1e-9)) - max_true_peak_dbtp
        if over <= 0:
            break
        samples = samples * np.float32(10 ** (-(over + 0.1) / 20))
    return samples


@dataclass(frozen=True)
class FittedAudio:
    """A soundtrack encoded once for good: the AAC packets to mux (`Mp4Writer.queue_audio`) and
    what they play back, for measuring what the file will play."""
    packets: list
    decoded: np.ndarray  # float32 (n, 2) at 48 kHz
    true_peak: float     # linear, 4x oversampled, of `decoded`


def encode_fitted_aac(samples: np.ndarray, max_true_peak_dbtp: float, bitrate: int) -> FittedAudio:
    """What `fit_peaks_through_aac` then an encode and a decode of the result give, for one encode
    fewer: the try that passes the ceiling is already the encode, so its packets are kept (rather
    than encoding the same samples again and decoding them again to measure them). As there, a
    soundtrack still over the ceiling after AAC_TRIES turns is encoded at the last gain."""
    for attempt in range(AAC_TRIES + 1):
        encoder = _aac_encoder(bitrate)
        packets = _aac_packets(encoder, samples)
        decoded = decode_aac(packets, encoder.extradata)
        peak = true_peak(decoded)
        over = 20 * np.log10(max(peak, 1e-9)) - max_true_peak_dbtp
        if over <= 0 or attempt == AAC_TRIES:
            return FittedAudio(packets, decoded, peak)
        samples = samples * np.float32(10 ** (-(over + 0.1) / 20))
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class EncodeSettings:
    width: int = 1080
    height: int = 1920
    fps: Fraction = Fraction(30)
    crf: int = 20
    preset: str = "veryfast"
    audio_bitrate: int = 192_000
    # Tags written as MP4 metadata (title, comment, artist, ... and custom keys)
    metadata: dict[str, str] = field(default_factory=dict)
    # Tag the stream BT.709 limited range, which is what the compositor's RGB->YUV produces. Off for
    # pictures converted by FFmpeg's default (BT.601) matrix, a camera recording's: tagged 709 they
    # would decode with shifted colours, so they stay untagged as they always were.
    tag_bt709: bool = True


class Mp4Writer:
    """Writes constant-frame-rate video (pts = frame number) and interleaved AAC audio."""

    def __init__(self, path: str | Path, settings: EncodeSettings, with_audio: bool = True,
                 subtitles: SoftSubtitles | None = None):
        """`subtitles`: also a mov_text track with these cues (soft_subtitles.py), which the caller
        keeps inside the video's length."""
        if settings.width % 2 or settings.height % 2:
            raise MediaError(f"{path}: output size must be even, got {settings.width}x{settings.height}")
        self.settings = settings
        self.path = Path(path)
        try:
            # +faststart: moov before mdat so players start before the download ends. Tags go in the
            # iTunes-style list that every reader knows; `encoding_tool` becomes the encoder tag (©too),
            # which FFmpeg would otherwise fill with its own name.
            self.container = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
        except (OSError, av.FFmpegError) as exc:
            raise MediaWriteError(f"{path}: cannot create output ({exc})", reason=av_reason(exc)) from None
        self.container.metadata.update(settings.metadata)
        video = self.container.add_stream("libx264", rate=settings.fps)
        video.width, video.height, video.pix_fmt = settings.width, settings.height, "yuv420p"
        ctx = video.codec_context
        ctx.time_base = Fraction(1) / settings.fps
        # `profile` only caps the features x264 may use: the ultrafast preset (draft quality) turns the
        # 8x8 transform off and its stream is then Constrained Baseline. The 8x8 transform is the one
        # High-only tool, so forcing it on makes every quality level a real High-profile stream.
        ctx.options = {"crf": str(settings.crf), "preset": settings.preset, "profile": "high",
                       "x264-params": "8x8dct=1"}
        # PyAV defaults to slice threads, which makes libx264 use sliced threading: frame threads
        # (what the ffmpeg command line uses) encode ~13% faster here at the same quality
        ctx.thread_type = "AUTO"
        if settings.tag_bt709:
            ctx.color_primaries = 1
            ctx.color_trc = 1
            ctx.colorspace = 1
            ctx.color_range = 1
        self.video = video
        self.audio = None
        if with_audio:
            self.audio = self.container.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
            self.audio.bit_rate = settings.audio_bitrate
        self.frames_written = 0
        self._audio_written = 0  # samples streamed through write_audio
        self._audio_packets: deque = deque()
        self._audio_flushed = False
        self.subtitles = None
        if subtitles is not None and subtitles.cues:
            self.subtitles = MovTextTrack(self.container, subtitles)

    def write_i420(self, buffer: np.ndarray) -> None:
        self._write_frame(av.VideoFrame.from_ndarray(buffer, format="yuv420p"))

    def write_rgb(self, rgb: np.ndarray) -> None:
        """An (h, w, 3) uint8 picture as the next frame, converted with the matrix the stream is tagged with."""
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        if self.settings.tag_bt709:
            # threads=1: swscale's default starts threads on every call, which costs more than it saves per frame
            frame = frame.reformat(format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG", threads=1)
        self._write_frame(frame)

    def write_picture(self, picture) -> None:
        """A picture a studio.media reader decoded (a take's recording) as the next frame, without
        copying it out to an array and back; the same picture may be written more than once."""
        self._write_frame(picture)

    def _write_frame(self, frame) -> None:
        frame.pts = self.frames_written
        frame.time_base = self.video.codec_context.time_base
        self.frames_written += 1
        self.container.mux(self.video.encode(frame))
        if self.subtitles is not None:  # cues that start by this frame's end, interleaved with it
            self.subtitles.mux_until(self.container, float(self.frames_written / self.settings.fps))

    def write_audio(self, pcm: np.ndarray) -> None:
        """Stream (n, 2) int16 samples to the AAC encoder and mux them now (a take's sound, which
        arrives in order while its pictures are written). Not for use with `queue_audio`."""
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm, dtype=np.int16).reshape(1, -1),
                                           format="s16", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = AUDIO_RATE, self._audio_written, Fraction(1, AUDIO_RATE)
        self._audio_written += len(pcm)
        self.container.mux(self.audio.encode(frame))

    def encode_audio(self, samples: np.ndarray, chunk: int = AUDIO_RATE) -> list:
        """Encode a whole soundtrack to AAC packets (~1.4 MB a minute instead of ~23 MB of float
        samples). Touches only the audio encoder, so it may run in another thread while video is
        written; hand the packets over with `queue_audio`."""
        if self.audio is None:
            return []
        return _aac_packets(self.audio, samples, chunk)

    def decoded_audio(self, packets: list) -> np.ndarray:
        """The audio as it will play back from `packets` (for measuring what was written)."""
        return decode_aac(packets, self.audio.codec_context.extradata if self.audio is not None else None)

    def queue_audio(self, packets: list) -> None:
        """Packets from `encode_audio` (or `encode_fitted_aac` with this writer's audio bit rate),
        muxed in step with the video by `mux_audio_until`."""
        for packet in packets:
            if packet.stream is None:  # from a stand-alone encoder with the stream's settings
                packet.stream = self.audio
        self._audio_packets.extend(packets)
        self._audio_flushed = True

    def mux_audio_until(self, seconds: float) -> None:
        """Mux pre-encoded audio packets that start before `seconds` (keeps the file interleaved)."""
        while self._audio_packets:
            packet = self._audio_packets[0]
            if packet.pts is not None and float(packet.pts * packet.time_base) > seconds:
                return
            self.container.mux(self._audio_packets.popleft())

    def close(self) -> None:
        """Flush the encoders and finish the file (the faststart pass moves the index to the front)."""
        self.container.mux(self.video.encode(None))
        if self.subtitles is not None:
            self.subtitles.flush(self.container)
        while self._audio_packets:
            self.container.mux(self._audio_packets.popleft())
        if self.audio is not None and not self._audio_flushed:
            self.container.mux(self.audio.encode(None))
        self.container.close()

    def abort(self) -> None:
        try:
            self.container.close()
        except Exception:  # the file is being thrown away; a failing close must not hide the real error
            pass
