"""The `studio` command: the engine from a terminal.

Exit codes: 0 done, 2 usage error, 3 bad input (one line on stderr, no output file left),
130 cancelled (Ctrl+C)."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from studio import __version__

EXIT_OK, EXIT_USAGE, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 2, 3, 130
PRESET_NAMES = ("tiktok", "reels", "shorts")


class UserError(Exception):
    """Bad input from the user: printed as one line, exit 3."""


def _user_errors() -> tuple[type[BaseException], ...]:
    """Every error type that means 'your input is wrong' rather than 'Studio has a bug'."""
    from studio.effects.errors import EffectError
    from studio.library.errors import LibraryError
    from studio.media.errors import MediaError
    from studio.model import EditError, ProjectError
    from studio.render.errors import ExportError
    from studio.capture.errors import CaptureError
    from studio.live.errors import LiveError
    return (UserError, ProjectError, EditError, MediaError, LibraryError, EffectError, ExportError, CaptureError,
            LiveError)


# ------------------------------------------------------------------ progress

class ProgressBar:
    """A one-line bar with ETA on stderr (redrawn in place on a terminal, sparse lines otherwise)."""

    def __init__(self, label: str, stream=sys.stderr, quiet: bool = False):
        self.label, self.stream, self.quiet = label, stream, quiet
        self.tty = stream.isatty()
        self._last_line = -1.0

    def __call__(self, p) -> None:
        if self.quiet or p.stage not in ("video", "done"):
            return
        frac = p.fraction
        eta = "--:--" if p.eta is None else f"{int(p.eta) // 60:02d}:{int(p.eta) % 60:02d}"
        bar = "#" * int(frac * 30)
        line = f"{self.label} [{bar:<30}] {frac * 100:5.1f}%  {p.done}/{p.total} frames  ETA {eta}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if p.stage == "done" else ""))
            self.stream.flush()
        elif p.stage == "done" or time.monotonic() - self._last_line > 5:
            self._last_line = time.monotonic()
            self.stream.write(line + "\n")
            self.stream.flush()


# ------------------------------------------------------------------ commands

class _StopOnSignals:
    """Ctrl+C and SIGTERM set an event instead of raising KeyboardInterrupt: that also works when
    the shell started us with SIGINT ignored (a background job, where Python installs no handler),
    and the work stops at a point where it can clean up."""

    def __init__(self, on_signal):
        self.on_signal = on_signal
        self._previous: dict = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, lambda *_: self.on_signal())
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _export(project, out: Path, args, label: str, inputs: tuple = ()) -> dict:
    """`inputs`: files besides the project's media that the export must not overwrite."""
    from studio.render.export import ExportOptions, export_project

    cancel = threading.Event()
    replaced = os.path.exists(out)  # the CLI overwrites, as scripts expect, but says so (False for a bad name)
    options = ExportOptions(preset=args.preset, quality=args.quality, crf=args.crf, preflight=not args.no_check,
                            keep_failed=args.keep_failed, soft_subtitles=not getattr(args, "no_soft_subtitles", False),
                            captions_language=getattr(args, "captions_language", None),
                            side_files=_captions_files(project, out, args))
    with _StopOnSignals(cancel.set):
        result = export_project(project, out, options, progress=ProgressBar(label, quiet=args.json), cancel=cancel,
                                inputs=inputs)
    summary = {"output": str(result.path), "frames": result.frames, "duration": result.duration,
               "seconds": round(result.seconds, 2), "loudness": result.loudness,
               "sidecar": str(result.sidecar) if result.sidecar else None,
               "cover": str(result.cover) if result.cover else None, "preflight": result.preflight,
               "replaced": replaced, "captions": {"lines": result.extra.get("captions", 0),
                                                  "soft_subtitles": result.extra.get("subtitles"),
                                                  "files": [str(f) for f in result.extra.get("files", [])]}}
    return summary


def _captions_files(project, out: Path, args) -> tuple:
    """--captions-file srt|vtt: the Captions track as OUT.srt / OUT.vtt, published with the video."""
    kind = getattr(args, "captions_file", None)
    if not kind:
        return ()
    from studio.captions.commands import subtitle_file_bytes

    data = subtitle_file_bytes(project, kind)
    if not data:
        if not args.json:
            print(f"studio: no captions in the project, so no {out.with_suffix('.' + kind).name}", file=sys.stderr)
        return ()
    return ((f".{kind}", data),)


def _print_summary(summary: dict, args) -> None:
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    loud = summary["loudness"]
    print(f"exported {summary['output']}: {summary['duration']:.2f} s, {summary['frames']} frames, "
          f"in {summary['seconds']:.1f} s")
    if summary.get("replaced"):
        print(f"  replaced the earlier {Path(summary['output']).name} (and its sidecar and cover)")
    if loud.get("has_audio"):
        print(f"  loudness {loud['integrated_lufs']} LUFS, true peak {loud['true_peak_dbtp']} dBTP")
    captions = summary.get("captions") or {}
    if captions.get("lines"):
        soft = f"a soft subtitle track ({captions['soft_subtitles']})" if captions.get("soft_subtitles") else ""
        files = ", ".join(Path(f).name for f in captions.get("files", []))
        also = " and ".join(p for p in (soft, files) if p)
        print(f"  captions: {captions['lines']} lines" + (f", also as {also}" if also else ""))
    if summary.get("preflight"):
        _print_findings(summary["preflight"])


def _finish(summary: dict, args) -> int:
    """Print what was exported; a pre-flight failure (kept with --keep-failed) is still exit 3."""
    _print_summary(summary, args)
    failed = summary.get("preflight") is not None and not summary["preflight"]["passed"]
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _print_findings(report: dict) -> None:
    verdict = "passed" if report["passed"] else "FAILED"
    print(f"  pre-flight for {report['preset']}: {verdict} ({report['errors']} errors, {report['warnings']} warnings)")
    for f in report["findings"]:
        print(f"    {f['level']}: {f['message']}")


def cmd_export(args) -> int:
    from studio.model import load_project

    project = load_project(args.project)
    if Path(args.output).suffix.lower() == ".otio":
        from studio.render.export import input_files
        from studio.render.otio_export import export_otio
        from studio.render.outputs import refuse_inputs

        refuse_inputs(Path(args.output), input_files(project, (args.project,)))
        out = export_otio(project, args.output)
        print(json.dumps({"output": str(out), "format": "otio"}) if args.json else f"wrote timeline {out}")
        return EXIT_OK
    return _finish(_export(project, Path(args.output), args, Path(args.project).name, (args.project,)), args)


def _exists(name: str) -> bool:
    try:
        return Path(name).exists()
    except OSError:  # a name the system refuses (too long): the media check says so later
        return False


def cmd_quick(args) -> int:
    from fractions import Fraction

    from studio.model import save_project
    from studio.quick import build_quick_project, parse_effect, parse_speed

    try:
        effects = [parse_effect(e) for e in args.effect]
        speed = Fraction(1) if args.speed is None else parse_speed(args.speed)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if speed != 1 and args.cut_to_beat:
        raise UserError("--speed and --cut-to-beat do not go together: a beat cut plays each clip at normal speed")
    if args.cut_to_beat and not args.sound:
        raise UserError("--cut-to-beat needs a music sound to cut to: add --sound ID (see `studio library sounds`)")
    if args.layout:
        from studio.model.layouts import LAYOUTS

        wanted = LAYOUTS[args.layout].clips
        if len(args.media) != wanted:
            raise UserError(f"--layout {args.layout} lays out {wanted} media side by side in one short; "
                            f"got {len(args.media)}")
        if args.cut_to_beat:
            raise UserError("--layout and --cut-to-beat do not go together: a layout plays its media at once")
    from studio.render.outputs import check_target

    # an output that would replace one of the media is refused before any work (looking for a
    # subject to follow already runs MediaPipe); the export checks every other input again
    check_target(Path(args.output), [Path(m) for m in args.media if _exists(m)])
    # a sped clip covers its whole source; the preset's longest video caps it (0.1x of a long file)
    limit = None
    if speed != 1:
        from studio.render.presets import get_preset

        limit = get_preset(args.preset).max_seconds
    auto_captions = _auto_captions(args)
    heard: list[str] = []  # what the auto-captions step said (its last line goes into --json's summary)

    def report(line: str) -> None:
        heard.append(line)
        if not args.json:
            print(line, file=sys.stderr, flush=True)

    project = build_quick_project(args.media, texts=args.text, stickers=args.sticker, sound=args.sound,
                                  effects=effects, caption=args.caption or "", creator=args.creator or "",
                                  name=Path(args.output).stem, cut_to_beat=args.cut_to_beat, speed=speed,
                                  max_seconds=limit, layout=args.layout, auto_captions=auto_captions, report=report)
    if args.save_project:
        from studio.render.export import input_files
        from studio.render.outputs import output_paths, refuse_inputs

        out = Path(args.output)
        refuse_inputs(Path(args.save_project), input_files(project, (out, *output_paths(out))))
        save_project(project, args.save_project)
    summary = _export(project, Path(args.output), args, "quick", (args.save_project,) if args.save_project else ())
    if heard:
        summary["captions"]["auto_captions"] = heard[-1]
    return _finish(summary, args)


def _auto_captions(args):
    """--auto-captions [--script FILE_OR_TEXT] [--language L] [--caption-style S] (studio.captions.quick_step)."""
    if not args.auto_captions:
        if args.script is not None or args.caption_style is not None:
            raise UserError("--script and --caption-style go with --auto-captions")
        args.captions_language = None
        return None
    from studio.captions.commands import _script_text
    from studio.captions.quick_step import AutoCaptions

    args.captions_language = args.language  # the soft subtitle track's language tag
    script = None if args.script is None else _script_text(args.script)
    style = {"style": args.caption_style} if args.caption_style else {}  # else the captions' default style
    return AutoCaptions(script=script, language=args.language, preset=args.preset, **style)


def cmd_batch(args) -> int:
    import tempfile

    from studio.batch.report import summary as batch_summary, write_report
    from studio.render.batch import BatchRunner, plan_jobs

    out_dir = Path(args.out_dir)
    presets = args.preset or ["tiktok"]
    work = tempfile.TemporaryDirectory(prefix="studio-variants-")  # the variants' project files
    with work:
        if args.variants:
            if len(args.projects) != 1:
                raise UserError("--variants makes versions of one project: give exactly one")
            from studio.batch.plan import plan_variant_jobs
            from studio.batch.variants import read_variants

            variants = read_variants(args.variants)  # every row checked before anything renders
            out_dir.mkdir(parents=True, exist_ok=True)
            jobs = plan_variant_jobs(Path(args.projects[0]), variants, presets, out_dir, Path(work.name))
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            jobs = plan_jobs([Path(p) for p in args.projects], presets, out_dir)
        return _run_batch(jobs, out_dir, args, BatchRunner, batch_summary, write_report)


def _run_batch(jobs, out_dir: Path, args, BatchRunner, batch_summary, write_report) -> int:
    earlier = {job.id for job in jobs if job.out.exists()}  # replaced, and said so (as `export` does)
    if args.cluster:
        from studio.batch.cluster import ClusterRunner

        runner = ClusterRunner(args.cluster, jobs, quality=args.quality, crf=args.crf, keep_failed=args.keep_failed)
    else:
        runner = BatchRunner(jobs, workers=args.jobs, quality=args.quality, crf=args.crf,
                             keep_failed=args.keep_failed)
    last: dict[int, tuple] = {}

    def update(status) -> None:
        if args.json:
            return
        key = (status.state, int(status.fraction * 10))
        if last.get(status.job.id) == key:
            return
        last[status.job.id] = key
        eta = f" ETA {status.eta:.0f}s" if status.eta is not None and status.state == "running" else ""
        reason = f": {status.error}" if status.error else ""
        what = f"{status.job.variant} " if status.job.variant else ""
        print(f"[job {status.job.id}/{len(jobs)}] {status.job.project.name} {what}-> {status.job.preset}: "
              f"{status.state} {status.fraction * 100:.0f}%{eta}{reason}", file=sys.stderr, flush=True)

    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        runner.cancel()  # running jobs stop and delete their partial files; queued ones never start

    with _StopOnSignals(stop):
        statuses = runner.run(update)
    if stopped.is_set():
        return EXIT_CANCELLED
    done = sum(s.state == "done" for s in statuses)
    failed = [s for s in statuses if s.state != "done"]
    report = batch_summary(statuses)
    page, sheet = write_report(out_dir, report)
    if args.json:
        print(json.dumps({"jobs": [{**s.to_dict(), "replaced": s.state == "done" and s.job.id in earlier}
                                   for s in statuses], "done": done, "failed": len(failed),
                          "outputs": report["outputs"], "report": str(page), "contact_sheet": str(sheet)}, indent=2))
    else:
        print(f"batch: {done} of {len(statuses)} exports done")
        for s in statuses:
            mark = "ok  " if s.state == "done" else s.state
            print(f"  {mark} {s.job.out}" + (f"  ({s.error})" if s.error else "")
                  + ("  (replaced the earlier file)" if s.state == "done" and s.job.id in earlier else ""))
        print(f"  report: {page} and {sheet.name}")
    return EXIT_OK if not failed else EXIT_BAD_INPUT


def cmd_check(args) -> int:
    from studio.model import load_project
    from studio.render.preflight import check_file, check_project

    target = Path(args.target)
    if not target.exists():
        raise UserError(f"{target}: no such file")
    if target.suffix == ".studio" or target.suffix == ".json" and not target.with_suffix(".mp4").exists():
        report = check_project(load_project(target), args.preset)
    else:
        report = check_file(target, args.preset)
    data = report.to_dict()
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(f"{target}:")
        _print_findings(data)
    return EXIT_OK if report.passed else EXIT_BAD_INPUT


def cmd_library(args) -> int:
    from studio.library_listing import list_library

    if args.import_file:
        if args.kind == "sounds":
            from studio.library_listing import clock, import_sound

            sound = import_sound(args.import_file, args.name, replace=args.replace)
            tempo = f"{sound.bpm:.1f} BPM" if sound.bpm is not None else "no steady beat"
            print(f"imported {args.import_file} as sound '{sound.id}' ({tempo}, {clock(sound.duration)})")
            return EXIT_OK
        if args.kind != "looks":
            raise UserError("--import works for looks (.cube files) and sounds (audio or video files)")
        from studio.library.looks import import_look

        look = import_look(args.import_file, args.name, replace=args.replace)
        print(f"imported {args.import_file} as look '{look.id}'")
        return EXIT_OK
    rows = list_library(args.kind)
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
    else:
        for row in rows:
            print("  ".join(f"{v}" for v in row.values() if not isinstance(v, (list, dict))))
    return EXIT_OK


def cmd_demo(args) -> int:
    from studio.demo import build_demo_project
    from studio.model import load_project

    folder = Path(args.dir)
    project_file = build_demo_project(folder)
    print(f"demo project written to {project_file}", file=sys.stderr)
    out = Path(args.output) if args.output else folder / "demo.mp4"
    return _finish(_export(load_project(project_file), out, args, "demo"), args)


def cmd_open(args) -> int:
    try:
        from studio.ui.app import run_app
    except ImportError as exc:
        raise UserError(f"the window is not available here ({exc})") from None
    return run_app(args.project)


# ------------------------------------------------------------------ parser

def _export_options(p: argparse.ArgumentParser, preset_multi: bool = False) -> None:
    if not preset_multi:
        p.add_argument("--preset", choices=PRESET_NAMES, default="tiktok", help="platform preset (default tiktok)")
    p.add_argument("--quality", choices=("draft", "standard", "high"), default="standard",
                   help="encode speed/size trade-off (default standard)")
    p.add_argument("--crf", type=int, choices=range(0, 52), metavar="N", help="x264 CRF 0-51 (lower = better)")
    p.add_argument("--no-check", action="store_true", help="skip the pre-flight check of the exported file")
    p.add_argument("--keep-failed", action="store_true",
                   help="write the file even when pre-flight finds errors (the exit status is still 3)")
    if not preset_multi:
        p.add_argument("--no-soft-subtitles", action="store_true",
                       help="leave the captions out of the MP4's subtitle track (they stay in the picture)")
        p.add_argument("--captions-file", choices=("srt", "vtt"),
                       help="also write the captions as OUT.srt or OUT.vtt beside the video")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Make vertical short videos: record, edit, export.")
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("export", help="export a project to a platform-ready MP4 (or OUT.otio: an OpenTimelineIO timeline)")
    p.add_argument("project")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--captions-language", metavar="CODE",
                   help="language of the captions for the subtitle track's tag (en, de, ...; default und)")
    _export_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("quick", help="make a short straight from media files")
    p.add_argument("media", nargs="+")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--text", action="append", default=[], help="a title (first) or caption text (later ones)")
    p.add_argument("--sticker", action="append", default=[], help="library sticker id or a PNG file")
    p.add_argument("--sound", help="library sound id or an audio file, mixed under the clips' own audio")
    p.add_argument("--effect", action="append", default=[], metavar="ID[:k=v,...][@GESTURE]",
                   help="effect on every clip; @open_palm, @peace, @thumbs_up or @pointing switches it on "
                        "only while the hand shows that gesture")
    p.add_argument("--caption", help="caption with #hashtags")
    p.add_argument("--creator", help="creator name for the artist tag")
    p.add_argument("--save-project", metavar="FILE", help="also write the project it built")
    p.add_argument("--cut-to-beat", type=int, choices=(1, 2, 4), metavar="N",
                   help="cut to the --sound's beat: a clip every N beats (1, 2 or 4), each its liveliest part")
    p.add_argument("--speed", metavar="X",
                   help="play the videos X times as fast, 0.1 to 200 (120: a 30 min recording becomes a 15 s "
                        "timelapse); each covers its whole source, up to the preset's longest video; "
                        "below 0.25x and above 4x their own sound is muted")
    p.add_argument("--layout", choices=("duet", "react", "pip", "split3"),
                   help="play the media at once: duet (side by side), react (top and bottom), pip (the second "
                        "in a corner of the first), split3 (three bands); the short lasts as long as the first")
    p.add_argument("--auto-captions", action="store_true",
                   help="captions from what is said in the clips (offline), in the picture and as a soft subtitle "
                        "track; a short with nothing said in it is made without them (and says so)")
    p.add_argument("--script", metavar="FILE_OR_TEXT",
                   help="with --auto-captions: what was said (a text, .srt or .vtt file, or the words), timed to "
                        "the sound instead of recognised")
    p.add_argument("--language", default="en", help="with --auto-captions: language of the speech (default en)")
    p.add_argument("--caption-style", metavar="STYLE",
                   help="with --auto-captions: text style of the captions (default: as `studio captions`; "
                        "see `studio library styles`)")
    _export_options(p)
    p.set_defaults(func=cmd_quick)

    p = sub.add_parser("batch", help="export projects x presets (or one project's variants x presets) in parallel; "
                                     "outputs with the same picture are rendered once")
    p.add_argument("projects", nargs="+")
    p.add_argument("--preset", action="append", choices=PRESET_NAMES, help="repeat for several (default tiktok)")
    p.add_argument("--out-dir", required=True, help="the outputs, report.html and contact_sheet.png go here")
    p.add_argument("--variants", metavar="FILE.csv|FILE.json",
                   help="versions of the one PROJECT, a row each: name, hook, text:ITEM_ID, caption, hashtags, "
                        "title, sound, look, cover, captions, language; outputs PROJECT-VARIANT-PRESET.mp4")
    p.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    p.add_argument("--cluster", metavar="tcp://HOST:PORT",
                   help="run the jobs on a dask.distributed scheduler's workers (pip install 'studio[cluster]'; "
                        "docs/cluster.md)")
    _export_options(p, preset_multi=True)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("check", help="pre-flight an exported file or a project against a platform")
    p.add_argument("target")
    p.add_argument("--preset", choices=PRESET_NAMES, default="tiktok")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("library", help="list sounds, stickers, text styles, looks or effects; import your own sounds and looks")
    p.add_argument("kind", choices=("sounds", "stickers", "styles", "looks", "effects"))
    p.add_argument("--import", dest="import_file", metavar="FILE",
                   help="add your own .cube look (looks) or an audio or video file (sounds) to the library")
    p.add_argument("--name", help="id for the imported look or sound (default: the file name)")
    p.add_argument("--replace", action="store_true", help="overwrite an imported look or sound of the same name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_library)

    p = sub.add_parser("demo", help="build the demo project and export it")
    p.add_argument("--dir", default="studio-demo", help="folder for the demo project (default ./studio-demo)")
    p.add_argument("-o", "--output", help="output file (default DIR/demo.mp4)")
    _export_options(p)
    p.set_defaults(func=cmd_demo)

    from studio.capture.commands import register as register_capture  # `record` and `recover`
    register_capture(sub)
    from studio.templates.commands import register as register_templates  # `template list|apply|save`
    register_templates(sub, _export_options, lambda *job: _finish(_export(*job), job[2]))  # exports as quick does
    from studio.captions.commands import register as register_captions  # `captions`
    register_captions(sub)
    from studio.live.commands import register as register_live  # `live`
    register_live(sub)

    p = sub.add_parser("open", help="open a project in the window")
    p.add_argument("project", nargs="?")
    p.set_defaults(func=cmd_open)
    return parser


def _shortened(word: str, keep: int = 40) -> str:
    """A 300-character file name would bury the message: keep both ends of very long words."""
    return word if len(word) <= 2 * keep + 10 else f"{word[:keep]}…{word[-keep:]}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["open"])
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("studio: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    except Exception as exc:
        from studio.render.errors import Cancelled
        if isinstance(exc, Cancelled):
            print("studio: cancelled", file=sys.stderr)
            return EXIT_CANCELLED
        if isinstance(exc, _user_errors()):
            message = " ".join(_shortened(word) for word in str(exc).split()) or exc.__class__.__name__
            print(f"studio: error: {message}", file=sys.stderr)
            return EXIT_BAD_INPUT
        raise


if __name__ == "__main__":
    sys.exit(main())
