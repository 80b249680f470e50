"""`studio live`: go live from the command line.

    studio live --camera INDEX_OR_FILE --url URL (--key-file F | --key-env VAR | --key-name NAME)
                [--effect ID[:k=v]]... [--look ID] [--text WORDS] [--sticker ID] [--logo PNG] [--clock]
                [--second FILE --layout pip|split] [--size WxH] [--kbps N] [--project P [--scene ID]]
                [--record LIVE.mp4] [--duration S] [--json]
    studio live --save-key NAME (--key-file F | --key-env VAR)

The stream's health is printed once a second (a JSON object per line with --json). While live,
each line typed on standard input is a command: an empty line or `m [NAME]` marks a highlight,
`s SOUND` plays a library sound or audio file into the stream, `scene ID` switches scenes,
`q` ends. Ctrl+C (or SIGTERM) ends the stream cleanly: the safety recording is finished as
LIVE.mp4 + LIVE.studio with the highlights as markers. A bad address, a refused key, no camera:
one line, exit 3. The key is never printed, logged or written anywhere but the keyring/key file.
"""
from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT = 0, 3
SIZES = ("720x1280", "1080x1920", "1280x720", "1920x1080")


def register(sub) -> None:
    p = sub.add_parser("live", help="go live to an RTMP/RTMPS/SRT ingest with AR effects and a safety recording")
    p.add_argument("--camera", default="0", metavar="INDEX_OR_FILE",
                   help="device index (0 = first webcam) or a video file played as a camera (looped)")
    p.add_argument("--url", help="the ingest address without the key, e.g. rtmp://live.example.com/app "
                                 "(put {key} where a service wants the key inside the address)")
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--key-file", metavar="FILE", help="read the stream key from this file (first line)")
    keys.add_argument("--key-env", metavar="VAR", help="read the stream key from this environment variable")
    keys.add_argument("--key-name", metavar="NAME", help="use a key stored with --save-key")
    p.add_argument("--save-key", metavar="NAME",
                   help="store the key from --key-file/--key-env under NAME (keyring, else a file only you can "
                        "read) and exit")
    p.add_argument("--effect", action="append", default=[], metavar="ID[:k=v,...]", help="AR effect (repeatable)")
    p.add_argument("--look", metavar="ID", help="colour look from the library")
    p.add_argument("--text", action="append", default=[], help="text over the stream (repeatable)")
    p.add_argument("--sticker", action="append", default=[], metavar="ID", help="library sticker in a corner")
    p.add_argument("--logo", metavar="PNG", help="a picture (logo) in the top corner")
    p.add_argument("--clock", action="store_true", help="show the time of day")
    p.add_argument("--second", metavar="FILE", help="a second source: a video file played round and round")
    p.add_argument("--layout", choices=("pip", "split"), default="pip", help="how the second source is shown")
    p.add_argument("--size", choices=SIZES, default="720x1280", help="stream size (default 720x1280 portrait)")
    p.add_argument("--kbps", type=int, metavar="N", help="video bitrate (default: the preset for the size)")
    p.add_argument("--project", metavar="P.studio", help="use the scenes saved in this project's Live mode")
    p.add_argument("--scene", metavar="ID", help="the project's scene to start with")
    p.add_argument("--record", metavar="LIVE.mp4", help="where the safety recording is finished "
                                                         "(default ./Live-DATE.mp4)")
    p.add_argument("--no-record", action="store_true", help="no safety recording")
    p.add_argument("--duration", type=float, metavar="S", help="end the stream after S seconds")
    p.add_argument("--json", action="store_true", help="health and the result as JSON lines")
    p.set_defaults(func=cmd_live)


def _key(args):
    from studio.live.errors import LiveError
    from studio.live.secrets import key_from_env, load_key, read_key_file

    if args.key_file:
        return read_key_file(args.key_file)
    if args.key_env:
        key = key_from_env(args.key_env)
        if key is None:
            raise LiveError(f"the environment variable {args.key_env} holds no stream key")
        return key
    if args.key_name:
        key = load_key(args.key_name)
        if key is None:
            raise LiveError(f"no stream key stored as {args.key_name!r} (store one with --save-key)")
        return key
    raise LiveError("give the stream key with --key-file, --key-env or --key-name (never on the command line)")


def build_settings(args):
    """The live settings from the project (its Live mode) or from the options."""
    from studio.model import EffectRef
    from studio.model.live_scene import LiveOverlay, LiveScene, LiveSettings, SecondSource
    from studio.quick import parse_effect

    if args.project:
        import dataclasses

        from studio.model import load_project

        live = load_project(args.project).live
        if live is None or not live.scenes:
            from studio.live.errors import LiveError

            raise LiveError(f"{Path(args.project).name} has no Live setup: make a scene in Live mode first")
        if args.scene:
            live = dataclasses.replace(live, active_scene=args.scene)
        return live
    width, height = (int(v) for v in args.size.split("x"))
    overlays = []
    for k, text in enumerate(args.text):
        overlays.append(LiveOverlay("text", x=0.5, y=0.14 + 0.09 * k, width=0.8, text=text))
    corners = [(0.8, 0.62), (0.2, 0.62), (0.8, 0.76), (0.2, 0.76)]
    for k, sticker in enumerate(args.sticker):
        x, y = corners[k % len(corners)]
        overlays.append(LiveOverlay("sticker", x=x, y=y, width=0.22, source=sticker))
    if args.logo:
        overlays.append(LiveOverlay("image", x=0.84, y=0.05, width=0.2, source=str(Path(args.logo).resolve())))
    if args.clock:
        overlays.append(LiveOverlay("clock", x=0.16, y=0.05, width=0.3, size=0.6))
    second = SecondSource("file", str(Path(args.second).resolve())) if args.second else None
    scene = LiveScene("main", "Main", layout=args.layout if second else "full",
                      camera_effects=tuple(EffectRef(e.id, e.params, e.enabled, e.trigger)
                                           for e in (parse_effect(s) for s in args.effect)),
                      look=args.look, overlays=tuple(overlays), second_source=second)
    return LiveSettings(width=width, height=height, fps=30, orientation="portrait" if height > width else "landscape",
                        video_kbps=args.kbps, url=args.url or "", scenes=(scene,), active_scene="main")


def _commands(session, say, stop: threading.Event) -> None:
    """Standard input as the hotkeys of a terminal."""
    for line in sys.stdin:
        word, _, rest = line.strip().partition(" ")
        try:
            if word in ("", "m", "mark"):
                session.mark(rest.strip())
            elif word in ("s", "sound"):
                say(f"playing {rest.strip()} ({session.play_sound(rest.strip()):.1f} s)")
            elif word == "scene":
                session.switch_scene(rest.strip())
            elif word in ("q", "quit"):
                stop.set()
                return
            else:
                say(f"unknown command {word!r}: Enter or m NAME marks a highlight, s SOUND, scene ID, q")
        except Exception as exc:  # a typo must not end the stream
            say(" ".join(str(exc).split()))


def cmd_live(args) -> int:
    from studio.capture.microphone import open_microphone
    from studio.capture.sources import open_camera
    from studio.live.errors import LiveError
    from studio.live.secrets import save_key, scrub
    from studio.live.session import LiveSession

    key = _key(args)
    if args.save_key:
        where = save_key(args.save_key, key)
        print(f"stream key stored as {args.save_key!r} in {where}")
        return EXIT_OK
    settings = build_settings(args)
    url = args.url or settings.url
    if not url:
        raise LiveError("give the ingest address with --url (rtmp://, rtmps:// or srt://)")

    started = threading.Event()

    def say(message: str) -> None:
        message = scrub(message, key)
        if message.startswith("failed") and not started.is_set():
            return  # the error that stops the start is printed once, as the command's error
        if args.json:
            print(json.dumps({"event": message}), flush=True)
        else:
            print(f"live: {message}", file=sys.stderr, flush=True)

    record = None
    if not args.no_record:
        record = Path(args.record) if args.record else Path(f"Live-{time.strftime('%Y-%m-%d-%H%M%S')}.mp4")
        if record.suffix.lower() != ".mp4":
            raise LiveError(f"{record.name}: the recording is finished as MP4; name it *.mp4")
    camera = open_camera(args.camera)
    microphone = None
    if not camera.has_audio:
        microphone, why_not = open_microphone()
        if microphone is None:
            say(why_not.replace("recording", "streaming"))
    session = LiveSession(camera, settings, key, url=url, record=record, microphone=microphone, on_event=say)
    stop = threading.Event()
    handlers = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        session.start()
        started.set()
        threading.Thread(target=_commands, args=(session, say, stop), daemon=True).start()
        began = time.monotonic()
        while not stop.wait(1.0):
            health = session.health()
            if args.json:
                print(json.dumps(_health_dict(health)), flush=True)
            else:
                print(health.line(), file=sys.stderr, flush=True)
            if health.stream.state == "failed":
                break
            if args.duration is not None and time.monotonic() - began >= args.duration:
                break
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    result = session.stop()
    summary = {"health": _health_dict(result.health),
               "recording": str(result.finished.path) if result.finished else None,
               "project": str(result.finished.project) if result.finished else None,
               "highlights": [{"seconds": h.seconds, "name": h.name} for h in session.highlights],
               "error": result.error}
    if args.json:
        print(json.dumps(summary), flush=True)
    else:
        if result.finished:
            print(f"recorded {result.finished.path} ({result.finished.duration:.1f} s, "
                  f"{len(session.highlights)} highlights); edit it: studio open {result.finished.project}")
        if result.error:
            print(f"studio: error: {result.error}; the recording is kept for `studio recover`", file=sys.stderr)
    failed = result.health.stream.state == "failed"
    return EXIT_BAD_INPUT if failed or result.error else EXIT_OK


def _health_dict(health) -> dict:
    s = health.stream
    return {"state": s.state, "fps": round(s.fps, 2), "kbps": round(s.kbps, 1),
            "dropped": health.frames_dropped, "skipped": health.frames_skipped,
            "pipeline_ms": None if health.pipeline_ms is None else round(health.pipeline_ms, 1),
            "encoder_lag_ms": None if s.encoder_lag_ms is None else round(s.encoder_lag_ms, 1),
            "cpu_percent": round(s.cpu_percent, 1), "reconnects": s.reconnects,
            "seconds_live": round(s.seconds_live, 2), "highlights": health.highlights}
