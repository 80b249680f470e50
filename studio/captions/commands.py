"""`studio captions`: captions from speech, a script timed to the sound, SRT/VTT in and out.

    studio captions MEDIA_OR_PROJECT [--language en] [--script FILE_OR_TEXT] [--engine auto|pocketsphinx|whisper]
                    [-o X.srt|X.vtt|X.json|X.studio] [--into-project] [--style S] [--preset P] [--json]
    studio captions SUBTITLES.srt|.vtt -o X.vtt|X.srt|X.json          (convert)
    studio captions MEDIA_OR_PROJECT --import SUBTITLES -o X.studio     (a subtitle file as the caption track)
    studio captions PROJECT.studio --import SUBTITLES --into-project   (... of that project, saved in place)
    studio captions --download-model SIZE                             (the one command that downloads)

Without -o the captions are printed as SRT (as JSON with --json); what was listened to and which
engine found the words go to stderr. Bad input is one line and exit 3, as everywhere.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .timeline import DEFAULT_STYLE

EXIT_OK = 0
_OUTPUTS = (".srt", ".vtt", ".json", ".studio")


def register(sub) -> None:
    """Add `captions` to the `studio` parser."""
    p = sub.add_parser("captions", help="captions from speech (or your script timed to it); SRT/VTT in and out",
                       description="Word-timed captions for a video, an audio file or a project: the words "
                                   "recognised offline, or your script timed to the sound.")
    p.add_argument("source", nargs="?", metavar="MEDIA_OR_PROJECT",
                   help="a video or audio file, a .studio project, or an .srt/.vtt file to convert")
    p.add_argument("--language", default="en", help="language of the speech (default en; pocketsphinx is English only)")
    p.add_argument("--script", metavar="FILE_OR_TEXT",
                   help="what was said (a text, .srt or .vtt file, or the words themselves): each word is timed "
                        "to the sound instead of recognised")
    p.add_argument("--import", dest="import_file", metavar="SUBTITLES",
                   help="take the caption lines from this .srt/.vtt/.json file instead of listening")
    p.add_argument("--engine", choices=("auto", "pocketsphinx", "whisper"), default="auto",
                   help="speech engine (default auto: whisper when its model is on disk, else pocketsphinx)")
    p.add_argument("--model", metavar="DIR", help="a faster-whisper model folder (default: STUDIO_WHISPER_MODEL, "
                                                 "or the one --download-model fetched)")
    p.add_argument("--download-model", metavar="SIZE", choices=("tiny", "base", "small", "medium", "large-v3"),
                   help="download a Whisper model (tiny, base, small, medium, large-v3) for the whisper engine; "
                        "the only time Studio reaches the network")
    p.add_argument("-o", "--output", help="write X.srt, X.vtt, X.json (lines with word times) or X.studio "
                                          "(the project, or a new one for a video, with a Captions track)")
    p.add_argument("--into-project", action="store_true",
                   help="write the Captions track into the given .studio project itself")
    p.add_argument("--style", default=DEFAULT_STYLE, help=f"text style of the caption track (default {DEFAULT_STYLE})")
    p.add_argument("--preset", choices=("tiktok", "reels", "shorts"), default="tiktok",
                   help="platform whose safe zone the captions keep inside (default tiktok)")
    p.add_argument("--words", action="store_true", help="in a .vtt, also each word's time (karaoke-style players)")
    p.add_argument("--max-words", type=int, default=3, choices=range(1, 9), metavar="N",
                   help="words per caption line, 1-8 (default 3)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_captions)


def _script_text(value: str) -> str:
    """--script: a file's text (a subtitle file's cue text), else the words given."""
    from .errors import CaptionError

    path = Path(value)
    looks_like_file = "\n" not in value and len(value) < 4096 and (
        path.suffix.lower() in (".txt", ".md", ".srt", ".vtt", ".json") and " " not in path.name)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    if not is_file:
        if looks_like_file:
            raise CaptionError(f"--script {value}: file not found (give the file, or the words themselves)")
        return value
    if path.suffix.lower() in (".srt", ".vtt", ".json"):
        from .lines import plain_text
        from .subtitles import read_subtitles

        return plain_text(read_subtitles(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaptionError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in data[:4096]:
        raise CaptionError(f"{path.name}: not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _check_args(args) -> None:
    from .errors import CaptionError

    if args.source is None:
        raise CaptionError("give a video, audio file or project to caption (or --download-model SIZE)")
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in _OUTPUTS:
        raise CaptionError(f"{out.name}: write captions as .srt, .vtt, .json or .studio")
    if args.into_project and Path(args.source).suffix.lower() != ".studio":
        raise CaptionError("--into-project needs a .studio project to write into")
    if args.into_project and out is not None:
        raise CaptionError("give either -o FILE or --into-project, not both")
    if args.script is not None and args.import_file:
        raise CaptionError("give either --script (time your words) or --import (take a subtitle file's lines)")


def _project_for(args):
    """The project the captions go into: the source project, or a new one around the video."""
    from studio.model import load_project

    if Path(args.source).suffix.lower() == ".studio":
        return load_project(args.source)
    from studio.quick import build_quick_project

    return build_quick_project([args.source], name=Path(args.output).stem)


def _write_project(args, captions) -> Path:
    from studio.model import save_project
    from studio.render.export import input_files
    from studio.render.outputs import refuse_inputs

    from .timeline import add_captions

    target = Path(args.source) if args.into_project else Path(args.output)
    project = add_captions(_project_for(args), list(captions.lines), style=args.style, preset=args.preset)
    # a project may replace itself (that is --into-project), never one of its media
    refuse_inputs(target, input_files(project, ()))
    return save_project(project, target)


def subtitle_file_bytes(project, kind: str) -> bytes:
    """A project's Captions track as the bytes of an .srt or .vtt file (`studio export` and `studio
    quick` write it beside the video with --captions-file srt|vtt; b"" without captions)."""
    from .lines import CaptionLine
    from .subtitles import srt_text, vtt_text
    from .timeline import caption_lines_of

    lines = [CaptionLine(text, start, end) for text, start, end in caption_lines_of(project) if text.strip()]
    if not lines:
        return b""
    return (srt_text(lines) if kind == "srt" else vtt_text(lines)).encode("utf-8")


def cmd_captions(args) -> int:
    from .errors import CaptionError

    if args.download_model:
        from .engines import download_whisper_model

        where = download_whisper_model(args.download_model, args.model)
        print(f"downloaded the Whisper {args.download_model} model to {where}")
        return EXIT_OK
    _check_args(args)
    from .generate import imported_captions, make_captions
    from .subtitles import SUBTITLE_SUFFIXES, srt_text, write_subtitles

    source = Path(args.source)
    if args.output and source.exists():
        from studio.render.outputs import refuse_inputs

        refuse_inputs(Path(args.output), [source] + ([Path(args.import_file)] if args.import_file else []))
    if source.suffix.lower() in SUBTITLE_SUFFIXES:
        if args.script or args.into_project:
            raise CaptionError(f"{source.name} already holds captions: give a video or project to time a script")
        if args.output and Path(args.output).suffix.lower() == ".studio":
            raise CaptionError(f"{source.name}: a subtitle file has no picture; to put it in a project: "
                               f"studio captions PROJECT --import {source.name} --into-project")
        captions = imported_captions(source)
    elif args.import_file:
        if not source.exists():
            raise CaptionError(f"{source.name}: file not found")
        captions = imported_captions(args.import_file)
    else:
        script = None if args.script is None else _script_text(args.script)
        if script is not None and not script.strip():
            raise CaptionError("--script: the script is empty")
        captions = make_captions(source, script, args.language, args.engine, args.model, max_words=args.max_words)

    lines = list(captions.lines)
    written = None
    if args.into_project or (args.output and Path(args.output).suffix.lower() == ".studio"):
        written = _write_project(args, captions)
    elif args.output:
        written = write_subtitles(lines, args.output, words=args.words, engine=captions.engine,
                                  method=captions.method, source=source.name)
    summary = {"engine": captions.engine, "method": captions.method, "note": captions.note,
               "listened_to": captions.listened_to, "output": str(written) if written else None,
               "lines": [line.to_dict() for line in lines]}
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"captions: {captions.describe()}", file=sys.stderr)
    if captions.engine != "file":
        print(f"  listened to: {captions.listened_to}", file=sys.stderr)
    if written:
        what = "a Captions track in" if written.suffix == ".studio" else ""
        print(f"wrote {what + ' ' if what else ''}{written}")
    else:
        if args.import_file and source.suffix.lower() == ".studio":
            print(f"  (to put them on {source.name}'s Captions track: add --into-project)", file=sys.stderr)
        sys.stdout.write(srt_text(lines))
    return EXIT_OK
