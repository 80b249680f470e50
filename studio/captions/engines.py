"""Speech engines behind one small interface: `recognise(samples, language) -> [Word]` and
`align(samples, script, language) -> [Word]`, on 16 kHz mono float32 samples (captions.audio).

- **pocketsphinx** works out of the box: its wheel ships an en-US acoustic model, dictionary and
  language model, so there is nothing to download. English only; modest accuracy on free speech,
  but its forced alignment (a grammar of exactly the script's words) times a given script well.
- **whisper** (faster-whisper, CTranslate2) recognises far better and in many languages, when the
  package is installed and a model is on disk (STUDIO_WHISPER_MODEL, or the user data folder).
  It is optional: imported only when used, and nothing is downloaded unless the user asks
  (`studio captions --download-model SIZE`).

`choose_engine("auto")` takes whisper when it can run and pocketsphinx otherwise, and says why;
`engine_status()` gives the window the engine in use and how to get the better one.
"""
from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import numpy as np

from .audio import RATE, to_pcm16
from .errors import CaptionError
from .words import Word

ENGINE_NAMES = ("auto", "pocketsphinx", "whisper")
WHISPER_SIZES = ("tiny", "base", "small", "medium", "large-v3")
DEFAULT_WHISPER_SIZE = "small"
_CHUNK_S = 20.0        # longest stretch decoded as one utterance by pocketsphinx
_FILLER = re.compile(r"^(<.*>|\[.*\])$")
_ALT = re.compile(r"\(\d+\)$")


def language_code(language: str | None) -> str | None:
    """"en", "en-US", "en_us", "English" -> "en"; None/"" or "auto" -> None (detect, whisper only)."""
    if not language or language.lower() == "auto":
        return None
    low = language.strip().lower()
    if low in ("english", "eng"):
        return "en"
    code = re.split(r"[-_]", low)[0]
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise CaptionError(f"--language {language!r}: give a language code such as en, de or es")
    return code


def whisper_model_dir(size: str = DEFAULT_WHISPER_SIZE) -> Path:
    """Where the Whisper model is looked for: $STUDIO_WHISPER_MODEL (a CTranslate2 model folder)
    when set, else <user data>/models/faster-whisper-<size>."""
    env = os.environ.get("STUDIO_WHISPER_MODEL")
    if env:
        return Path(env)
    from studio.library.userdata import user_data_dir

    return user_data_dir() / "models" / f"faster-whisper-{size}"


def _clean(word: str) -> str:
    return _ALT.sub("", word)


def _split_points(samples: np.ndarray, chunk: float = _CHUNK_S) -> list[int]:
    """Sample offsets that cut long audio into utterances of at most `chunk` seconds, each cut at
    the quietest 100 ms of the last third of its stretch (between words, most likely)."""
    cuts, start, n = [0], 0, len(samples)
    win = RATE // 10
    while n - start > chunk * RATE:
        lo, hi = start + int(chunk * RATE * 2 / 3), start + int(chunk * RATE)
        frames = samples[lo:hi][: (hi - lo) // win * win].reshape(-1, win)
        quiet = int(np.argmin(np.mean(frames * frames, axis=1)))
        start = lo + quiet * win + win // 2
        cuts.append(start)
    cuts.append(n)
    return cuts


class PocketsphinxEngine:
    name = "pocketsphinx"
    title = "PocketSphinx (built in, English)"
    languages = ("en",)

    def __init__(self):
        self._recogniser = None
        self._dictionary = None

    def problem(self, language: str | None = "en") -> str | None:
        if importlib.util.find_spec("pocketsphinx") is None:
            return "pocketsphinx is not installed (run ./setup.sh, or pip install pocketsphinx)"
        code = language_code(language)
        if code is not None and code not in self.languages:
            return (f"pocketsphinx knows English only, not {language!r}; for {language!r} install faster-whisper "
                    f"and a Whisper model (studio captions --download-model {DEFAULT_WHISPER_SIZE})")
        return None

    def decoder(self, **config):
        """A fresh pocketsphinx decoder with its bundled en-US model (quiet: its log is not ours)."""
        from pocketsphinx import Decoder

        return Decoder(samprate=RATE, loglevel="FATAL", **config)

    def lookup(self, word: str) -> str | None:
        """The dictionary's phones for a word, or None."""
        if self._dictionary is None:
            self._dictionary = self.decoder(lm=None)
        return self._dictionary.lookup_word(word)

    def recognise(self, samples: np.ndarray, language: str | None = "en") -> list[Word]:
        problem = self.problem(language)
        if problem:
            raise CaptionError(problem)
        if self._recogniser is None:
            self._recogniser = self.decoder()
        d = self._recogniser
        words: list[Word] = []
        cuts = _split_points(samples)
        for a, b in zip(cuts, cuts[1:]):
            d.start_utt()
            d.process_raw(to_pcm16(samples[a:b]), full_utt=True)
            d.end_utt()
            offset = a / RATE
            for seg in d.seg() or ():
                if _FILLER.match(seg.word):
                    continue
                text = _clean(seg.word)
                text = "I" if text == "i" else re.sub(r"^i'", "I'", text)
                words.append(Word(text, round(offset + seg.start_frame / 100, 3),
                                  round(offset + (seg.end_frame + 1) / 100, 3), min(1.0, max(0.0, float(seg.prob)))))
        return words

    def align(self, samples: np.ndarray, script: str, language: str | None = "en") -> list[Word]:
        from .alignment import align_script

        return align_script(samples, script, self)


class WhisperEngine:
    name = "whisper"
    title = "Whisper (faster-whisper)"

    def __init__(self, model: str | os.PathLike | None = None, size: str = DEFAULT_WHISPER_SIZE):
        self.model_dir = Path(model) if model else whisper_model_dir(size)
        self.size = size
        self._model = None

    @staticmethod
    def installed() -> bool:
        return importlib.util.find_spec("faster_whisper") is not None

    def has_model(self) -> bool:
        return (self.model_dir / "model.bin").is_file()

    def problem(self, language: str | None = None) -> str | None:
        get_model = (f"get one with: studio captions --download-model {self.size} (a one-time download), "
                     f"or set STUDIO_WHISPER_MODEL to a faster-whisper model folder")
        if not self.installed() and not self.has_model():
            return (f"faster-whisper is not installed (pip install faster-whisper) and there is no model at "
                    f"{self.model_dir} ({get_model})")
        if not self.installed():
            return "faster-whisper is not installed (pip install faster-whisper)"
        if not self.has_model():
            return f"no model at {self.model_dir} ({get_model})"
        return None

    def _load(self):
        if self._model is None:
            from faster_whisper import WhisperModel

            # a folder path: CTranslate2 reads it from disk, nothing is fetched
            self._model = WhisperModel(str(self.model_dir), device="cpu", compute_type="int8",
                                       local_files_only=True)
        return self._model

    def recognise(self, samples: np.ndarray, language: str | None = "en") -> list[Word]:
        problem = self.problem(language)
        if problem:
            raise CaptionError(f"whisper: {problem}")
        segments, _info = self._load().transcribe(np.asarray(samples, np.float32), language=language_code(language),
                                                  word_timestamps=True, condition_on_previous_text=False)
        words = []
        for segment in segments:
            for w in segment.words or ():
                text = w.word.strip()
                if text:
                    words.append(Word(text, round(float(w.start), 3), round(float(w.end), 3),
                                      min(1.0, max(0.0, float(w.probability)))))
        return words

    def align(self, samples: np.ndarray, script: str, language: str | None = "en") -> list[Word]:
        """Whisper has no forced alignment: the script's words take the times of the recognised
        words they match, and those between are spread over the time between (align.transfer)."""
        from .alignment import transfer
        from .script import tokenize

        return transfer(tokenize(script), self.recognise(samples, language), len(samples) / RATE)


def download_whisper_model(size: str = DEFAULT_WHISPER_SIZE, target: str | os.PathLike | None = None) -> Path:
    """Fetch a faster-whisper model (only when the user asks: this reaches the network)."""
    if size not in WHISPER_SIZES:
        raise CaptionError(f"--download-model {size!r}: choose one of {', '.join(WHISPER_SIZES)}")
    if not WhisperEngine.installed():
        raise CaptionError("faster-whisper is not installed (pip install faster-whisper), so there is nothing to "
                           "run a Whisper model with")
    from faster_whisper import download_model

    out = Path(target) if target else whisper_model_dir(size)
    out.mkdir(parents=True, exist_ok=True)
    try:
        download_model(size, output_dir=str(out))
    except Exception as exc:  # network, disk: one line
        raise CaptionError(f"could not download the Whisper {size} model to {out}: "
                           f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    return out


def choose_engine(name: str = "auto", language: str | None = "en",
                  model: str | os.PathLike | None = None) -> tuple[PocketsphinxEngine | WhisperEngine, str]:
    """(engine, note): the engine asked for, or for "auto" whisper when it can run and pocketsphinx
    otherwise; the note says why whisper is not used ("" when it is). CaptionError when the asked
    engine cannot run (saying how to get it)."""
    if name not in ENGINE_NAMES:
        raise CaptionError(f"--engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")
    whisper = WhisperEngine(model)
    if name == "whisper":
        problem = whisper.problem(language)
        if problem:
            raise CaptionError(f"whisper cannot run: {problem}")
        return whisper, ""
    sphinx = PocketsphinxEngine()
    if name == "pocketsphinx":
        problem = sphinx.problem(language)
        if problem:
            raise CaptionError(problem)
        return sphinx, ""
    why_not = whisper.problem(language)
    if why_not is None:
        return whisper, ""
    problem = sphinx.problem(language)
    if problem:
        raise CaptionError(f"{problem}; whisper cannot run either: {why_not}")
    return sphinx, f"whisper not used: {why_not}"


def engine_status(language: str | None = "en", model: str | os.PathLike | None = None) -> tuple[str, str]:
    """(name of the engine "auto" uses, why it is not the better one): for the window's
    "Generate captions" to show, e.g. ("pocketsphinx", "whisper not used: faster-whisper is not
    installed (pip install faster-whisper) ..."), or ("whisper", "")."""
    try:
        engine, note = choose_engine("auto", language, model)
    except CaptionError as exc:
        return "none", str(exc)
    return engine.name, note
