"""From a media file or a project to timed caption lines: the one entry point of the command line
and the window. `recognise` and `align` are the engine interface on any audio: a media file's path,
or 16 kHz mono float32 samples (captions.audio.RATE)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import RATE, media_speech, project_speech
from .engines import PocketsphinxEngine, choose_engine, language_code
from .errors import CaptionError
from .lines import CaptionLine, group_lines
from .words import Word

def _samples(audio) -> np.ndarray:
    if isinstance(audio, np.ndarray):
        return audio.astype(np.float32, copy=False)
    return media_speech(audio)


def recognise(audio, language: str | None = "en", engine: str = "auto", model=None) -> list[Word]:
    """Words said in `audio` (a media file or RATE mono samples), by the engine chosen."""
    chosen, _ = choose_engine(engine, language, model)
    return chosen.recognise(_samples(audio), language)


def align(audio, script_text: str, language: str | None = "en", engine: str = "auto", model=None) -> list[Word]:
    """Every written word of `script_text` timed in `audio`. English goes to pocketsphinx's forced
    alignment (more exact than any recogniser's word times) unless whisper is asked for by name."""
    return _aligner(engine, language, model).align(_samples(audio), script_text, language)


def _aligner(engine: str, language: str | None, model):
    code = language_code(language)
    if engine != "whisper" and code in (None, "en"):
        sphinx = PocketsphinxEngine()
        problem = sphinx.problem("en")
        if problem:
            raise CaptionError(problem)
        return sphinx
    return choose_engine(engine, language, model)[0]


@dataclass(frozen=True)
class Captions:
    words: tuple[Word, ...]
    lines: tuple[CaptionLine, ...]
    engine: str          # the engine that found the words ("pocketsphinx", "whisper", "file")
    method: str          # "recognised", "aligned to the script" or "read from FILE"
    note: str            # why the better engine was not used ("" when it was)
    listened_to: str     # what sound the words were found in

    def describe(self) -> str:
        extra = f"; {self.note}" if self.note else ""
        return f"{len(self.lines)} caption lines, {len(self.words)} words, {self.method} by {self.engine}{extra}"


def source_speech(source: str | os.PathLike) -> tuple[np.ndarray, str, object | None]:
    """(samples, what they are, the project or None) for a media file or a .studio project."""
    path = Path(source)
    if path.suffix.lower() == ".studio":
        from studio.model import load_project

        project = load_project(path)
        samples, described = project_speech(project)
        return samples, described, project
    return media_speech(path), f"the sound of {path.name}", None


def make_captions(source: str | os.PathLike, script: str | None = None, language: str | None = "en",
                  engine: str = "auto", model=None, max_words: int = 3, max_chars: int = 32) -> Captions:
    """Caption lines for a media file or a project: its words recognised, or `script` timed."""
    samples, described, _ = source_speech(source)
    return speech_captions(samples, described, Path(source).name, script, language, engine, model,
                           max_words=max_words, max_chars=max_chars)


def speech_captions(samples: np.ndarray, described: str, name: str, script: str | None = None,
                    language: str | None = "en", engine: str = "auto", model=None, max_words: int = 3,
                    max_chars: int = 32, progress=None) -> Captions:
    """Caption lines for RATE mono `samples` (`described` says what they are, `name` starts the
    errors): the words recognised, or `script` timed. `progress(text)`, when given, hears which
    engine is at work (the window shows it)."""
    if len(samples) < RATE // 10 or not np.any(np.abs(samples) > 1e-4):
        raise CaptionError(f"{name}: no sound to caption ({described})")
    if script is not None:
        chosen = _aligner(engine, language, model)
        note = ""
        if progress is not None:
            progress(f"timing the script's words with {chosen.title}")
        words = chosen.align(samples, script, language)
        method = "aligned to the script"
    else:
        chosen, note = choose_engine(engine, language, model)
        if progress is not None:
            progress(f"listening with {chosen.title}")
        words = chosen.recognise(samples, language)
        method = "recognised"
    if not words:
        raise CaptionError(f"{name}: no words were heard in {described}")
    lines = group_lines(words, max_words=max_words, max_chars=max_chars)
    return Captions(tuple(words), tuple(lines), chosen.name, method, note, described)


def imported_captions(path: str | os.PathLike) -> Captions:
    """Caption lines read from an .srt, .vtt or captions .json file."""
    from .subtitles import read_subtitles

    lines = read_subtitles(path)
    words = tuple(w for line in lines for w in line.words)
    return Captions(words, tuple(lines), "file", f"read from {Path(path).name}", "", Path(path).name)
