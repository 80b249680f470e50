"""Captions from speech: words recognised or a script aligned to the sound, grouped into caption
lines, written as SRT/WebVTT or placed on a project's timeline.

    recognise(audio, language) -> [Word]        engines.py: pocketsphinx built in, whisper optional
    align(audio, script) -> [Word]              align.py: forced alignment of the creator's script
    group_lines(words) -> [CaptionLine]         lines.py: 1-3 words, <= 32 characters, no long pause
    write_subtitles / read_subtitles            subtitles.py: .srt, .vtt, .json
    add_captions(project, lines) -> Project     timeline.py: the "Captions" track in the safe zone
    make_captions(media_or_project, script)     generate.py: all of it, for the CLI and the window
    engine_status() -> (engine, why not better) for the window to show
"""
from .engines import PocketsphinxEngine, WhisperEngine, choose_engine, engine_status, whisper_model_dir
from .errors import CaptionError
from .generate import Captions, align, imported_captions, make_captions, recognise
from .lines import CaptionLine, group_lines
from .subtitles import parse_subtitles, read_subtitles, srt_text, vtt_text, write_subtitles
from .timeline import TRACK_NAME, add_captions, caption_placement
from .words import Word

__all__ = [
    "CaptionError", "CaptionLine", "Captions", "PocketsphinxEngine", "TRACK_NAME", "WhisperEngine", "Word",
    "add_captions", "align", "caption_placement", "choose_engine", "engine_status", "group_lines",
    "imported_captions", "make_captions", "parse_subtitles", "read_subtitles", "recognise", "srt_text",
    "vtt_text", "whisper_model_dir", "write_subtitles",
]
