"""Soft subtitles in an MP4: a 3GPP timed-text track (`mov_text`, sample entry `tx3g`) that players
which read it (QuickTime, iOS and macOS players, VLC, most TV apps) can show or hide; the picture
is not touched, and no video or audio is re-encoded.

The track is written by the same PyAV muxer as the video (`Mp4Writer(subtitles=...)`): FFmpeg's
mov_text encoder is opened once with an ASS header so that it writes the sample description (the
default text box and style, which a tx3g track must carry), and every cue is one sample that we
build ourselves: a 16-bit big-endian byte count and the UTF-8 text (3GPP TS 26.245 §5.17). Going
through the encoder's ASS input instead would eat `{...}` (an ASS override block) and `\\N`-style
escapes out of what the creator wrote; a plain-text sample is exact. Gaps between cues are filled
with empty samples by FFmpeg's MP4 muxer. Remuxing with the ffmpeg binary would have worked too,
but costs a second pass over the file and would rewrite the tags and the faststart index that
the writer already got right.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from .errors import MediaError, describe_av_error

CUE_TIME_BASE = Fraction(1, 1000)
_MAX_SAMPLE = 0xFFFF  # the sample's text length is a 16-bit count of bytes
# FFmpeg's default ASS header (libavcodec/ass.c): the mov_text encoder reads the default style from
# it (white on transparent, bottom centre) for the tx3g sample description
_ASS_HEADER = b"""[Script Info]
ScriptType: v4.00+
PlayResX: 384
PlayResY: 288
ScaledBorderAndShadow: yes

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, \
MarginV, Encoding
Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

"""
# ISO 639-1 -> ISO 639-2/T, what an MP4 track's language field holds (three letters, or "und")
_ISO639_2 = {
    "ar": "ara", "bg": "bul", "bn": "ben", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu",
    "el": "ell", "en": "eng", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra",
    "ga": "gle", "gl": "glg", "gu": "guj", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye",
    "id": "ind", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat", "kk": "kaz", "km": "khm", "kn": "kan",
    "ko": "kor", "lt": "lit", "lv": "lav", "mk": "mkd", "ml": "mal", "mn": "mon", "mr": "mar", "ms": "msa",
    "my": "mya", "nb": "nob", "ne": "nep", "nl": "nld", "nn": "nno", "no": "nor", "pa": "pan", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "si": "sin", "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp",
    "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel", "th": "tha", "tl": "tgl", "tr": "tur", "uk": "ukr",
    "ur": "urd", "uz": "uzb", "vi": "vie", "yo": "yor", "zh": "zho", "zu": "zul", "af": "afr", "am": "amh",
    "az": "aze", "be": "bel", "bs": "bos", "fil": "fil", "haw": "haw", "yue": "yue",
}
_TERMINOLOGIC = {"ger": "deu", "fre": "fra", "dut": "nld", "chi": "zho", "cze": "ces", "gre": "ell",
                 "per": "fas", "rum": "ron", "slo": "slk", "wel": "cym", "arm": "hye", "geo": "kat",
                 "ice": "isl", "mac": "mkd", "may": "msa", "bur": "mya", "alb": "sqi", "baq": "eus"}


def mp4_language(language: str | None) -> str:
    """"en", "en-US", "eng" -> "eng"; None, "auto" or an unknown code -> "und" (undetermined)."""
    if not language:
        return "und"
    code = re.split(r"[-_]", language.strip().lower())[0]
    if code in _ISO639_2:
        return _ISO639_2[code]
    if re.fullmatch(r"[a-z]{3}", code) and code != "aut":
        return _TERMINOLOGIC.get(code, code)
    return "und"


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from `start` to `end` (seconds from the start of the video)."""
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class SoftSubtitles:
    """What `Mp4Writer` writes as a mov_text track: the cues and the track's language code
    (any of mp4_language's inputs)."""
    cues: tuple[Cue, ...]
    language: str | None = None


def _sample(text: str) -> bytes:
    data = "\n".join(part.strip() for part in text.splitlines() if part.strip()).encode("utf-8")
    if len(data) > _MAX_SAMPLE:
        data = data[:_MAX_SAMPLE].decode("utf-8", errors="ignore").encode("utf-8")
    return len(data).to_bytes(2, "big") + data


class MovTextTrack:
    """A mov_text stream of an output container being written; cues go in time order, muxed in step
    with the video (`mux_until`) so the file stays interleaved, the rest on `flush`."""

    def __init__(self, container, subtitles: SoftSubtitles, limit: float | None = None):
        stream = container.add_stream("mov_text")
        ctx = stream.codec_context
        ctx.time_base = CUE_TIME_BASE
        ctx.subtitle_header = _ASS_HEADER  # opened with the container: it writes the sample description
        stream.time_base = CUE_TIME_BASE
        stream.metadata["language"] = mp4_language(subtitles.language)
        self.stream = stream
        self.language = stream.metadata["language"]
        self._pending: deque[tuple[int, int, bytes]] = deque(self._timed(subtitles.cues, limit))

    @staticmethod
    def _timed(cues, limit: float | None) -> list[tuple[int, int, bytes]]:
        """(start ms, end ms, sample) in order, never overlapping, cut at `limit` seconds."""
        out: list[tuple[int, int, bytes]] = []
        end_ms = None if limit is None else int(round(limit * 1000))
        for cue in sorted(cues, key=lambda c: (c.start, c.end)):
            if not cue.text.strip():
                continue
            start, end = max(0, int(round(cue.start * 1000))), int(round(cue.end * 1000))
            if out:
                start = max(start, out[-1][1])
            if end_ms is not None:
                end = min(end, end_ms)
            if end > start:
                out.append((start, end, _sample(cue.text)))
        return out

    def _mux(self, container, start: int, end: int, data: bytes) -> None:
        packet = av.Packet(data)
        packet.pts = packet.dts = start
        packet.duration = end - start
        packet.time_base = CUE_TIME_BASE
        packet.stream = self.stream
        container.mux(packet)

    def mux_until(self, container, seconds: float) -> None:
        """Mux the cues that start at or before `seconds`."""
        while self._pending and self._pending[0][0] <= seconds * 1000:
            self._mux(container, *self._pending.popleft())

    def flush(self, container) -> None:
        while self._pending:
            self._mux(container, *self._pending.popleft())


@dataclass(frozen=True)
class SubtitleStreamInfo:
    codec: str
    language: str
    cues: tuple[Cue, ...]


def read_soft_subtitles(path: str | Path) -> list[SubtitleStreamInfo]:
    """Every subtitle stream of a file with its cues (text as a player shows it), for pre-flight
    and tests; [] for a file without one."""
    try:
        container = av.open(str(path))
    except (OSError, av.FFmpegError) as exc:
        raise MediaError(path, describe_av_error(exc)) from None
    out = []
    with container:
        for stream in container.streams.subtitles:
            cues = []
            if stream.codec_context is not None and stream.codec_context.name == "mov_text":
                for packet in container.demux(stream):
                    if packet.size <= 2 or packet.pts is None:
                        continue  # an empty sample: the gap between two cues
                    text = bytes(packet)[2:2 + int.from_bytes(bytes(packet)[:2], "big")].decode("utf-8", "replace")
                    start = float(packet.pts * packet.time_base)
                    cues.append(Cue(text, start, start + float((packet.duration or 0) * packet.time_base)))
                container.seek(0)
            out.append(SubtitleStreamInfo(stream.codec_context.name if stream.codec_context else "unknown",
                                          stream.metadata.get("language", "und"), tuple(cues)))
    return out


__all__ = ["Cue", "MovTextTrack", "SoftSubtitles", "SubtitleStreamInfo", "mp4_language", "read_soft_subtitles"]
