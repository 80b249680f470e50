"""`studio quick --auto-captions`: captions from the short's own speech, put on its Captions track
before the export (which then also writes them as a soft subtitle track and lists them in the
sidecar).

The words are listened for in what the short plays: its clips' own sound where they sit on the
timeline (sped-up clips as heard, music and sound effects left out), so the times are the short's.
With a script the creator's words are timed to that sound instead of recognised.

A short with nothing said in it (no sound, silence, or sound without words) is still made, without
captions, and says so in one line: a creator who asked for captions on a batch of clips wants the
clips that have speech captioned, not the command to stop at the one music clip. What cannot work
at all (an unknown caption style, a language the engines here cannot do, a missing script file)
stops before anything is listened to or exported, as bad input (exit 3).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from studio.model import Project

from .timeline import DEFAULT_STYLE

NO_CAPTIONS = "the short is made without captions"


@dataclass(frozen=True)
class AutoCaptions:
    """What `--auto-captions` asks for. `script`: the words said (already read from its file), timed
    to the sound instead of recognised; `preset`: whose safe zone the lines keep inside."""
    script: str | None = None
    language: str | None = "en"
    style: str = DEFAULT_STYLE
    preset: str = "tiktok"
    engine: str = "auto"
    model: str | None = None


@dataclass(frozen=True)
class CaptionOutcome:
    project: Project
    lines: int        # caption lines put on the track (0: none, `message` says why)
    words: int
    message: str      # the line the command prints


def _silent(samples: np.ndarray) -> bool:
    from .audio import RATE

    return len(samples) < RATE // 10 or not np.any(np.abs(samples) > 1e-4)


def caption_quick_project(project: Project, request: AutoCaptions,
                          report: Callable[[str], None] | None = None) -> CaptionOutcome:
    """The project with captions of its speech on its Captions track (or unchanged when nothing is
    said in it, see the module). `report(line)` hears what is being done, as progress."""
    from studio.library.styles import get_style

    from .audio import project_speech
    from .engines import choose_engine
    from .generate import _aligner
    from .lines import group_lines
    from .timeline import add_captions

    say = report or (lambda line: None)
    get_style(request.style)  # an unknown style is a one-line LibraryError before any listening
    if request.script is not None:
        if not request.script.strip():
            from .errors import CaptionError

            raise CaptionError("--script: the script is empty")
        engine, note = _aligner(request.engine, request.language, request.model), ""
    else:
        engine, note = choose_engine(request.engine, request.language, request.model)
    samples, described = project_speech(project)
    if _silent(samples):
        heard = "no clip or voice-over makes a sound" if not len(samples) else f"{described} is silent"
        message = f"auto-captions: nothing to listen to ({heard}); {NO_CAPTIONS}"
        say(message)
        return CaptionOutcome(project, 0, 0, message)
    seconds = len(samples) / 16000
    if request.script is not None:
        say(f"auto-captions: timing the script's words in {seconds:.1f} s of {described} with {engine.title}")
        words = engine.align(samples, request.script, request.language)
        method = "aligned to the script"
    else:
        say(f"auto-captions: listening to {seconds:.1f} s of {described} with {engine.title}")
        words = engine.recognise(samples, request.language)
        method = "recognised"
    if not words:
        message = f"auto-captions: no words were heard in {described}; {NO_CAPTIONS}"
        say(message)
        return CaptionOutcome(project, 0, 0, message)
    lines = group_lines(words)
    captioned = add_captions(project, lines, style=request.style, preset=request.preset)  # with word times
    extra = f" ({note})" if note else ""
    message = f"auto-captions: {len(lines)} lines, {len(words)} words, {method} by {engine.name}{extra}"
    say(message)
    return CaptionOutcome(captioned, len(lines), len(words), message)


__all__ = ["AutoCaptions", "CaptionOutcome", "caption_quick_project"]
