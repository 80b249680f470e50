"""Spoken test audio with known word times, made with eSpeak NG (the `espeak-ng` Debian package).

eSpeak's library reports, while it synthesises, an event at the start of every word with its
position in the audio (ms): whole sentences are spoken naturally (co-articulated, with sentence
melody) and the start of every word is still known. The library is reached with ctypes: the
command-line program can write audio but not those events. Used by tests/captions and by
benchmarks/captions_wer.py.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# What a creator might say: numbers, a brand the dictionary lacks, clause ends, a pause per sentence
SCRIPT = ["Hey everyone, today I'm testing 3 budget microphones for TikTok videos.",
          "The first one costs twenty dollars and honestly, it sounds amazing!",
          "Stay until the end, because the last mic surprised me."]

_WORD_EVENT, _LIST_END = 1, 0
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: the callback gets the audio, nothing is played
_RATE_PARAM = 1   # espeakRATE, words per minute


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray                        # float32 mono
    rate: int
    # every word of the text as written, with its start in seconds; None where eSpeak spoke it
    # joined to its neighbour and reported no start of its own ("for a" is one event)
    words: tuple[tuple[str, float | None], ...]
    text: str                                  # what was said, sentences joined by spaces

    @property
    def timed(self) -> list[tuple[int, float]]:
        """(index in words, start) of the words whose start is known."""
        return [(i, t) for i, (_, t) in enumerate(self.words) if t is not None]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


class Espeak:
    """One eSpeak NG library instance (it keeps global state, so make one and reuse it)."""

    def __init__(self):
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        self._lib = ctypes.CDLL(name)
        self.rate = self._lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
        if self.rate <= 0:
            raise OSError("espeak-ng did not start")
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int]] = []
        self._callback = _CALLBACK(self._receive)  # kept referenced: the library calls it
        self._lib.espeak_SetSynthCallback(self._callback)

    def _receive(self, wav, n, events) -> int:
        if wav and n > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, (n,)).astype(np.float32) / 32768.0)
        i = 0
        while events[i].type != _LIST_END:
            e = events[i]
            if e.type == _WORD_EVENT and e.length > 0:
                self._events.append((e.text_position, e.length, e.audio_position))
            i += 1
        return 0

    def sentence(self, text: str, voice: str = "en-us", wpm: int = 160) -> tuple[np.ndarray, list[tuple[str, float | None]]]:
        """(audio, [(word, start s or None)]) of one sentence."""
        self._chunks.clear()
        self._events.clear()
        if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        self._lib.espeak_SetParameter(_RATE_PARAM, int(wpm), 0)
        data = text.encode("utf-8")
        self._lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, 0, None, None)
        self._lib.espeak_Synchronize()
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
        # the words as written (eSpeak counts positions in characters, from 1)
        tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
        starts: dict[int, float] = {}
        for pos, _, ms in self._events:
            for i, (a, _, word) in enumerate(tokens):
                # an event at the written word's first letter (not one inside "window—so", whose
                # first part eSpeak may not report)
                if pos - 1 == a + len(word) - len(word.lstrip("\"'(¿¡")):
                    starts.setdefault(i, ms / 1000.0)
        words = [(re.sub(r"^\W+|\W+$", "", w), starts.get(i)) for i, (_, _, w) in enumerate(tokens)]
        return audio, [(w, t) for w, t in words if w]

    def speech(self, sentences: list[str], voice: str = "en-us", wpm: int = 160, lead: float = 0.8,
               pause: float = 0.7, tail: float = 0.6) -> Speech:
        """The sentences one after another with `pause` s of silence between them (and `lead`
        before, `tail` after): the word starts are exact in the joined audio."""
        parts = [np.zeros(int(lead * self.rate), np.float32)]
        words: list[tuple[str, float | None]] = []
        at = len(parts[0])
        for i, s in enumerate(sentences):
            audio, ws = self.sentence(s, voice, wpm)
            words += [(w, None if t is None else at / self.rate + t) for w, t in ws]
            gap = np.zeros(int((pause if i < len(sentences) - 1 else tail) * self.rate), np.float32)
            parts += [audio, gap]
            at += len(audio) + len(gap)
        return Speech(np.concatenate(parts), self.rate, tuple(words), " ".join(sentences))


def espeak_or_none() -> Espeak | None:
    try:
        return Espeak()
    except (OSError, AttributeError):
        return None


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0


def with_music(speech: Speech, music: np.ndarray, db: float = -10.0) -> Speech:
    """Speech with `music` (mono, same rate, looped or cut to length) under it, `db` below the
    speech: the loudness (RMS) of the speech where it sounds against that of the music."""
    music = np.resize(music.astype(np.float32), len(speech.samples))
    voiced = speech.samples[np.abs(speech.samples) > 1e-4]
    gain = rms(voiced) / max(rms(music), 1e-9) * 10 ** (db / 20)
    mixed = speech.samples + music * gain
    peak = float(np.abs(mixed).max())
    if peak > 0.99:
        mixed = mixed * (0.99 / peak)
    return Speech(mixed.astype(np.float32), speech.rate, speech.words, speech.text)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """16-bit mono WAV, with the standard library (the test input for the media layer)."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return Path(path)


def resampled(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    from fractions import Fraction

    from scipy.signal import resample_poly

    ratio = Fraction(to, rate)
    return resample_poly(samples, ratio.numerator, ratio.denominator).astype(np.float32)


def write_talking_video(path: Path, speech: Speech, size: tuple[int, int] = (180, 320), fps: int = 30) -> Path:
    """A small portrait H.264 video (a plain picture) whose AAC sound is `speech`, as a phone
    recording of someone talking would be: the words start where `speech.words` say."""
    from fractions import Fraction

    import av

    rate = 48000
    audio = resampled(speech.samples, speech.rate, rate)
    frames = int(np.ceil(len(audio) / rate * fps))
    w, h = size
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        vs.options = {"preset": "ultrafast"}
        a = out.add_stream("aac", rate=rate, layout="stereo")
        picture = np.full((h, w, 3), (60, 110, 170), np.uint8)
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            out.mux(vs.encode(frame))
        out.mux(vs.encode(None))
        data = np.ascontiguousarray(np.stack([audio, audio]))
        for start in range(0, len(audio), 1024):
            chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(data[:, start:start + 1024]), format="fltp",
                                               layout="stereo")
            chunk.sample_rate, chunk.pts, chunk.time_base = rate, start, Fraction(1, rate)
            out.mux(a.encode(chunk))
        out.mux(a.encode(None))
    return Path(path)


class Flite:
    """CMU Flite (the `flite` Debian package): voices built from recordings of real speakers
    (rms, slt, awb, kal16), closer to a person than eSpeak's formant voices. Flite prints each
    sound with its end time (-psdur); each word's own sounds (said alone) mark where it starts.
    A word whose sounds cannot be lined up this way gets no start (None)."""

    def __init__(self, exe: str = "flite"):
        import shutil

        found = shutil.which(exe)
        if found is None:
            raise OSError("flite is not installed")
        self.exe = found
        self._phones: dict[tuple[str, str], list[str]] = {}

    def _run(self, voice: str, text: str, *options: str) -> str:
        import subprocess

        done = subprocess.run([self.exe, "-voice", voice, *options, "-t", text], capture_output=True, text=True,
                              check=True)
        return done.stdout

    def word_phones(self, word: str, voice: str) -> list[str]:
        key = (word.lower(), voice)
        if key not in self._phones:
            self._phones[key] = [p for p in self._run(voice, word, "-ps", "-o", "none").split() if p != "pau"]
        return self._phones[key]

    def sentence(self, text: str, voice: str = "rms") -> tuple[np.ndarray, int, list[tuple[str, float | None]]]:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "s.wav"
            printed = self._run(voice, text, "-psdur", "-o", str(wav))
            with wave.open(str(wav)) as w:
                rate = w.getframerate()
                audio = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768.0
        segments, at = [], 0.0
        for item in printed.split():
            phone, _, end = item.rpartition(":")
            segments.append((phone, at))
            at = float(end)
        spoken = [(p, t) for p, t in segments if p != "pau"]
        words: list[tuple[str, float | None]] = []
        pos = 0
        for written in text.split():
            word = re.sub(r"^\W+|\W+$", "", written)
            if not word:
                continue
            phones = self.word_phones(word, voice)
            if pos is not None and phones and [p for p, _ in spoken[pos:pos + len(phones)]] == phones:
                words.append((word, spoken[pos][1]))
                pos += len(phones)
            else:
                words.append((word, None))
                pos = None  # lost the thread: no later word of this sentence is trusted
        return audio, rate, words

    def speech(self, sentences: list[str], voice: str = "rms", lead: float = 0.8, pause: float = 0.7,
               tail: float = 0.6) -> Speech:
        parts, words, rate, at = [], [], 16000, 0
        for i, s in enumerate(sentences):
            audio, rate, ws = self.sentence(s, voice)
            if i == 0:
                parts.append(np.zeros(int(lead * rate), np.float32))
                at = len(parts[0])
            words += [(w, None if t is None else at / rate + t) for w, t in ws]
            gap = np.zeros(int((pause if i < len(sentences) - 1 else tail) * rate), np.float32)
            parts += [audio, gap]
            at += len(audio) + len(gap)
        return Speech(np.concatenate(parts), rate, tuple(words), " ".join(sentences))


def flite_or_none() -> Flite | None:
    try:
        return Flite()
    except OSError:
        return None
