"""`studio record` and `studio recover`.

    studio record [--camera INDEX_OR_FILE] [--countdown 0|3|10] [--max SECONDS] [--speed X]
                  [--effect ID[:k=v]]... [--bake] [--no-sound] [--sound ID_OR_FILE[@START]] -o TAKE.mp4
    studio record --list-cameras
    studio recover [FOLDER_OR_RECORDING]

Ctrl+C and SIGTERM stop the take and keep it (finalised; exit 0). Ctrl+C during the countdown
records nothing (exit 130). No camera / bad file / unwritable folder: one line, exit 3. A take
cut short (camera lost, disk full) is finalised and kept with a warning line (exit 0); when it
cannot be finalised, the recording is kept for `studio recover` (exit 3).
"""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 3, 130
NORMAL_ENDS = ("stopped", "max length", "stopped (Ctrl+C)", "stopped (SIGTERM)")


def command_started() -> float:
    """When this process started, on the monotonic clock (now, where /proc is not available)."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22, starttime: clock ticks since boot (CLOCK_BOOTTIME)
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.monotonic() - max(0.0, age)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic()


def register(sub) -> None:
    """Add the capture subcommands to the `studio` parser."""
    p = sub.add_parser("record", help="record a take from the webcam (or a video file) hands-free")
    p.add_argument("--camera", default="0", metavar="INDEX_OR_FILE",
                   help="device index (0 = first webcam) or a video file played as a camera (looped)")
    p.add_argument("--countdown", type=int, choices=(0, 3, 10), default=3, help="seconds before recording starts")
    p.add_argument("--max", type=_positive_seconds, default=60.0, metavar="SECONDS",
                   help="maximum take length in seconds (presets 15, 60, 180, 600; default 60); stops by itself")
    p.add_argument("--speed", type=float, choices=(0.5, 1.0, 2.0, 3.0), default=1.0,
                   help="record speed: 2 = the take plays twice as fast (half as long)")
    p.add_argument("--effect", action="append", default=[], metavar="ID[:k=v,...]",
                   help="live effect (repeatable); kept editable in TAKE.studio unless --bake")
    p.add_argument("--bake", action="store_true", help="record the picture with the effects burnt in")
    p.add_argument("--no-sound", action="store_true", help="record without the microphone")
    p.add_argument("--sound", metavar="ID_OR_FILE[@START]",
                   help="record to a sound: a library sound, an audio file or a video's own sound, from START "
                        "seconds (e.g. sunny-pop@12 or clip.mp4@0:05); the take stops where the sound ends")
    p.add_argument("--list-cameras", action="store_true", help="list cameras and their sizes, then exit")
    p.add_argument("-o", "--output", metavar="TAKE.mp4")
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("recover", help="finalise takes a crashed or killed recording left behind")
    p.add_argument("path", nargs="?", default=".", help="a folder (default .) or a TAKE.mp4.recording.mkv")
    p.set_defaults(func=cmd_recover)


def _positive_seconds(text: str) -> float:
    import argparse

    try:
        value = float(text.rstrip("s"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, e.g. 15 or 60, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text!r}")
    return value


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{seconds % 60:04.1f}"


def _check_output(output: Path) -> None:
    """Fail before opening the camera when the take could not be written anyway."""
    import os

    from studio.capture.errors import CaptureError

    if output.suffix.lower() != ".mp4":
        raise CaptureError(f"{output}: the take is written as MP4; name it *.mp4")
    folder = output.parent
    if not folder.exists():
        raise CaptureError(f"{folder}: cannot write the take there (no such folder)")
    if not folder.is_dir():
        raise CaptureError(f"{folder}: cannot write the take there (not a folder)")
    if not os.access(folder, os.W_OK):
        raise CaptureError(f"{folder}: cannot write the take there (permission denied)")


def cmd_list_cameras() -> int:
    from studio.capture.sources import NO_CAMERA, list_cameras

    cams = list_cameras()
    if not cams:
        print(NO_CAMERA)
        return EXIT_OK
    for c in cams:
        sizes = ", ".join(f"{w}x{h}" for w, h in c.sizes) or "cannot be opened"
        print(f"{c.index}  {c.name}  ({c.path})  {sizes}")
    return EXIT_OK


def cmd_record(args) -> int:
    from studio.capture.errors import CaptureError

    if args.list_cameras:
        return cmd_list_cameras()
    if not args.output:
        _err("studio record: error: the take needs a name: -o TAKE.mp4")
        return 2
    from studio.quick import parse_effect

    try:
        effects = [parse_effect(e) for e in args.effect]
    except ValueError as exc:
        raise CaptureError(str(exc)) from None
    from studio.capture.microphone import open_microphone
    from studio.capture.recorder import State
    from studio.capture.session import CaptureSession, TakeSettings
    from studio.capture.sources import open_camera

    output = Path(args.output)
    _check_output(output)
    backing = None  # the sound recorded to
    if args.sound:
        from studio.capture.backing import parse_sound_spec, resolve_sound

        backing = resolve_sound(parse_sound_spec(args.sound))
    # with a countdown and no effects to load, the countdown (and a file camera's clock) run from
    # when the command began, like a person pressing record: starting Python and opening the
    # camera eat into the countdown instead of delaying the take
    began = command_started() if args.countdown > 0 and not effects else None
    camera = open_camera(args.camera, started_at=began)
    microphone = None
    if camera.has_audio and not args.no_sound:
        _err(f"sound: from {Path(args.camera).name} (file camera)")
    elif not args.no_sound:
        microphone, why_not = open_microphone()
        _err(f"sound: microphone {microphone.name}" if microphone is not None else why_not)
    session = CaptureSession(camera, effects=effects, microphone=microphone)
    stop_requested: list[str] = []
    # handlers rather than KeyboardInterrupt: also works when the shell started us with SIGINT
    # ignored (a background job), and the main loop stops the take cleanly either way
    previous_int = signal.signal(signal.SIGINT, lambda *_: stop_requested.append("Ctrl+C"))
    previous_term = signal.signal(signal.SIGTERM, lambda *_: stop_requested.append("SIGTERM"))
    tty = sys.stderr.isatty()

    def listener(event: str, rec) -> None:
        if event == "countdown":
            _err(f"{rec.countdown_remaining}...")
        elif event == "state" and rec.state == State.RECORDING:
            _err(f"recording (max {rec.max_seconds:g} s, speed {rec.speed:g}x) - Ctrl+C stops and keeps the take")
        elif event == "state" and rec.state == State.PAUSED:
            _err("paused")

    take = player = None
    try:
        session.start()
        if camera.size:
            _err(f"camera: {camera.name}, {camera.size[0]}x{camera.size[1]}"
                 + (", looping the file when it ends" if getattr(camera, "loop", False) else ""))
        if effects:
            session.wait_preview()  # the countdown starts once the effects are live
        take = session.begin_take(output, TakeSettings(countdown=args.countdown, max_seconds=args.max,
                                                       speed=args.speed, bake=args.bake, sound=backing),
                                  listener, start=False)
        if backing is not None:
            player = _backing_player(backing, take)
        take.start(began)
        last_shown = -1.0
        while not take.wait(0.1):
            if stop_requested:
                take.stop(f"stopped ({stop_requested[0]})")
                break
            if take.state == State.RECORDING:
                shown = take.recorder.take_seconds(time.monotonic())
                if tty:
                    sys.stderr.write(f"\rREC {_clock(shown)} / {_clock(args.max)}")
                    sys.stderr.flush()
                elif int(shown) != int(last_shown):
                    _err(f"REC {_clock(shown)} / {_clock(args.max)}")
                last_shown = shown
    except KeyboardInterrupt:
        if take is not None:
            take.stop("stopped (Ctrl+C)")
    finally:
        if take is None:  # no take was begun (an error is on its way up)
            session.close()
            signal.signal(signal.SIGINT, previous_int)
            signal.signal(signal.SIGTERM, previous_term)
    if tty:
        sys.stderr.write("\n")
    if player is not None:
        player.stop()
    # finishing must not be interrupted half-way: the recording is only removed once the MP4 is whole
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        cancelled = take.recorder.finish_reason.startswith("cancelled")
        _err("finalising..." if not cancelled else "cancelled during the countdown: nothing recorded")
        result = take.finish()
        session.close()
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
    if cancelled:
        return EXIT_CANCELLED
    if result.reason not in NORMAL_ENDS:
        _err(f"studio: warning: the take ended early: {result.reason}; what was recorded is kept")
    if result.dropped_frames:
        _err(f"studio: warning: {result.dropped_frames} frames dropped (the disk did not keep up)")
    f = result.finalised
    if f is None:
        kept = f"; the recording is kept as {result.recording} - run `studio recover`" if result.recording else ""
        raise CaptureError(f"{output}: {result.error}{kept}")
    sound = "with sound" if f.has_audio else "without sound"
    print(f"saved {f.path}: {f.duration:.2f} s, {f.frames} frames at 30 fps, {sound}, speed {f.speed:g}x, "
          f"{f.segments} segment(s) ({result.reason})")
    if backing is not None:
        print(f"  recorded to {backing.title} from {_clock(backing.start)}: placed under the take in its project, "
              "in sync" + ("; the camera's sound is kept on its own muted track" if f.has_audio else ""))
    if f.project:
        print(f"  project {f.project}" + (f" (effects editable, tracking cached for {f.tracked_frames} frames)"
                                          if effects and not args.bake else ""))
    return EXIT_OK


def _backing_player(sound, take):
    """Play the sound on the take's clock through the default audio output; without one, say the
    sound can't be heard (the take is still made to it, in sync)."""
    from studio.capture.backing import AlsaOutput, BackingPlayer, BackingTrack
    from studio.capture.errors import CaptureError

    try:
        output = AlsaOutput()
    except CaptureError as exc:
        _err(f"sound: {sound.title} from {_clock(sound.start)} - it can't be heard here ({exc}); "
             "the take is still recorded to it, in sync")
        return None
    _err(f"sound: {sound.title} from {_clock(sound.start)}")
    return BackingPlayer(BackingTrack(sound, take.settings.speed), take.recorder, output).start()


def cmd_recover(args) -> int:
    from studio.capture.errors import CaptureError
    from studio.capture.finalising import find_unfinished, recover

    path = Path(args.path)
    if path.is_dir():
        todo = find_unfinished(path)
        if not todo:
            print(f"no unfinished takes in {path}")
            return EXIT_OK
    elif path.exists() or Path(str(path) + ".recording.mkv").exists():
        todo = [path]
    else:
        raise CaptureError(f"{path}: no such folder or recording")
    failed = 0
    for rec in todo:
        try:
            f = recover(rec)
        except CaptureError as exc:
            message = " ".join(str(exc).split())
            if "nothing was recorded" in message:  # an empty leftover, cleared away: not a failure
                print(message)
                continue
            failed += 1
            _err(f"studio: error: {message}")
            continue
        sound = "with sound" if f.has_audio else "without sound"
        print(f"recovered {f.path}: {f.duration:.2f} s, {f.frames} frames, {sound}"
              + (f"; project {f.project}" if f.project else ""))
    return EXIT_OK if not failed else EXIT_BAD_INPUT
