"""Screenshots of the window for the docs: starts Studio on the demo project under Xvfb (or the
offscreen platform when Xvfb is missing) and saves docs/screenshots/edit.png, record.png and
record_sound.png (recording to a sound), templates.png (the gallery), template_swapped.png (a
filled template whose first slot was swapped by a drop), layers.png (a keyed picture-in-picture),
transitions.png (the transitions tab at a cross-dissolve) and captions.png (the Captions tab after
timing a pasted script to a voice-over, made with espeak-ng, over the webcam clips), start.png (the
start screen with two recent projects and their covers), library_effects.png and
library_stickers.png (the library grids; the stickers searched for "love"), live.png (Live mode
streaming to a local nginx-rtmp started here, the health panel filled; skipped without nginx) and
make_shorts.png (the Make shorts dialog after exporting the stream's highlights), and with --scale 1.5
edit_150.png only (Edit mode at 150 % scaling: QT_SCALE_FACTOR=1.5, a 1280x720 window on a
1920x1080 screen).

    python tools/screenshots.py [--out docs/screenshots] [--camera FILE] [--only captions|start|library|live]
    python tools/screenshots.py --scale 1.5

Record mode uses a file camera so the shot shows a live picture with effects on machines without a
webcam: --camera FILE, else ../shared/media/webcam_book.mkv (a real face, with the AR sunglasses)
when that folder exists, else the demo clip (with a look and a vignette)."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _start_xvfb(screen: str = "1600x1000x24") -> subprocess.Popen | None:
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or not shutil.which("Xvfb"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    display = ":87"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", screen, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    if proc.poll() is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def _pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _layers_shots(window, doc, app, webcams, out: Path) -> None:
    from fractions import Fraction

    from studio.model import Clip, Project, Timeline, Track
    from studio.model.keys import Key
    from studio.model.layouts import LAYOUTS

    fps = Fraction(30)
    pip = LAYOUTS["pip"].slots[1]
    base = Clip("clip-1", str(webcams[1]), 0, 75, source_frames=75)
    corner = Clip("clip-2", str(webcams[2]), 0, 60, source_frames=60, **pip,
                  keys=(Key("x", 0, pip["x"], "ease_in_out"), Key("x", 59, 0.3)))
    third = Clip("clip-3", str(webcams[0]), 75, 60, source_frames=60, transition="dissolve", transition_frames=15)
    project = Project(name="Layers", fps=fps, timeline=Timeline((
        Track("video", (base, third), name="Video"), Track("video", (corner,), name="Video 2"))))
    doc.reset(project, None)
    doc.select(["clip-2"])
    doc.set_playhead(30)
    _pump(app, 3.0)
    window.grab().save(str(out / "layers.png"))
    print(f"wrote {out / 'layers.png'}")
    window.library.setCurrentWidget(window.library.transitions)
    doc.select(["clip-3"])
    doc.set_playhead(75)
    _pump(app, 3.0)
    window.grab().save(str(out / "transitions.png"))
    print(f"wrote {out / 'transitions.png'}")


def _library_shots(window, app, out: Path) -> None:
    """The library grids: the Effects tab, then the Stickers tab with "love" typed into its search."""
    from PySide6.QtTest import QTest

    lib = window.library
    lib.setCurrentWidget(lib.effects)
    deadline = time.monotonic() + 60
    while window.thumbnails.pending() and time.monotonic() < deadline:
        _pump(app, 0.2)  # the timeline's thumbnails and waveforms, then the effects' own
    _pump(app, 1.5)
    window.grab().save(str(out / "library_effects.png"))
    print(f"wrote {out / 'library_effects.png'}")
    lib.setCurrentWidget(lib.stickers)
    search = window.library_browsers["stickers"].search
    search.setFocus()
    QTest.keyClicks(search, "love")
    _pump(app, 1.5)
    window.grab().save(str(out / "library_stickers.png"))
    print(f"wrote {out / 'library_stickers.png'}")
    search.clear()
    lib.setCurrentWidget(lib.media)


def _start_shot(window, app, settings, demo: Path, webcams, work: Path, out: Path) -> None:
    """The start screen with two recent projects, each shown by its rendered cover."""
    from fractions import Fraction

    from studio.media.probe import probe
    from studio.model import Clip, Metadata, Project, TextItem, Timeline, Track, save_project
    from studio.ui.start_screen import StartScreen

    recent = [demo]
    if webcams:
        frames = int(probe(webcams[0]).duration * 30) - 1
        second = Project(name="Morning routine", fps=Fraction(30), metadata=Metadata(cover_frame=frames // 2),
                         timeline=Timeline((Track("video", (Clip("clip-1", str(webcams[0]), 0, frames,
                                                                 source_frames=frames),), name="Video"),
                                            Track("overlay", (TextItem("text-1", 0, frames, "My morning", y=0.2,
                                                                    anim_in="none"),), name="Overlay"))))
        recent.append(save_project(second, work / "Morning_routine.studio"))
    for path in reversed(recent):
        settings.add_recent(path)  # the newest first
    screen = StartScreen(settings, window)
    screen.show()
    deadline = time.monotonic() + 60
    while any(screen.recent.item(i).icon().isNull() for i in range(screen.recent.count())) \
            and time.monotonic() < deadline:
        _pump(app, 0.2)
    _pump(app, 0.5)
    screen.grab().save(str(out / "start.png"))
    print(f"wrote {out / 'start.png'}")
    screen.done(0)


CAPTIONS_SCRIPT = "Hey everyone! Today I'm testing three budget microphones. The first one sounds amazing."


def _captions_shot(window, doc, app, webcams, fallback: Path, work: Path, out: Path) -> None:
    """The Captions tab: a voice-over (espeak-ng) under two clips, its script pasted and timed."""
    from fractions import Fraction

    from studio.captions.edits import caption_items
    from studio.media.probe import probe
    from studio.model import Clip, Project, SoundItem, Timeline, Track

    if not shutil.which("espeak-ng"):
        print("captions.png skipped: espeak-ng is not installed (./setup.sh installs it)")
        return
    voice = work / "voice.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(voice), CAPTIONS_SCRIPT], check=True)
    fps = Fraction(30)
    clips, at = [], 0
    for n, path in enumerate([webcams[1], webcams[0]] if len(webcams) >= 2 else [fallback], 1):  # book, again
        frames = int(probe(path).duration * 30) - 1
        clips.append(Clip(f"clip-{n}", str(path), at, frames, source_frames=frames, transition="dissolve"
                          if n > 1 else "none", transition_frames=10 if n > 1 else 0))
        at += frames
    spoken = int(probe(voice).duration * 30)
    voiceover = SoundItem("voice-1", str(voice), 0, min(at, spoken), role="voiceover")
    project = Project(name="Mic test", fps=fps, timeline=Timeline((
        Track("video", tuple(clips), name="Video"), Track("audio", (voiceover,), name="Voice-over"))))
    doc.reset(project, None)
    panel = window.open_captions()
    window.edit_page.setSizes([610, 230])
    panel.script.setPlainText(CAPTIONS_SCRIPT)
    panel.generate()
    deadline = time.monotonic() + 120
    while panel.tasks.running and time.monotonic() < deadline:
        _pump(app, 0.1)
    lines = caption_items(doc.project)
    if len(lines) > 2:
        panel.select_line(lines[2].id)  # the playhead goes to it: the preview shows it
        doc.set_playhead(lines[2].start + lines[2].duration // 2)
    window.timeline.fit()
    _pump(app, 2.0)
    while window.thumbnails.pending() and time.monotonic() < deadline:
        _pump(app, 0.2)  # the clips' thumbnails and the voice-over's waveform arrive
    _pump(app, 1.0)
    window.grab().save(str(out / "captions.png"))
    print(f"wrote {out / 'captions.png'}")


def _live_shots(window, app, camera: str, face: bool, work: Path, out: Path) -> None:
    """Live mode streaming to a local nginx-rtmp (tests/rtmp_server.py) with two scenes, overlays and
    the AR sunglasses, a highlight marked and the health panel filled; then the stream ended and its
    recording's Make shorts dialog, after the shorts were made."""
    import dataclasses

    sys.path.insert(0, str(ROOT / "tests"))
    from rtmp_server import NGINX, RTMP_MODULE, RtmpServer

    from studio.model import EffectRef
    from studio.model.live_scene import LiveOverlay
    from studio.model import live_edits as le
    from studio.ui.live_scene_editor import push_live

    if not NGINX.exists() or not RTMP_MODULE.exists():
        print("live.png skipped: needs nginx with the RTMP module (apt: nginx-light libnginx-mod-rtmp)")
        return
    server = RtmpServer(work / "nginx")
    server.start()
    try:
        doc, panel = window.document, window.live_panel
        live = le.live_of(doc.project)
        sunglasses = (EffectRef("face_sticker", {"sticker": "ar_sunglasses"}),) if face else ()
        live = le.update_scene(live, "scene-1", name="Just chatting", look="warm", camera_effects=sunglasses)
        for overlay in (LiveOverlay("text", x=0.5, y=0.86, width=0.8, text="Q&A: ask me anything!"),
                        LiveOverlay("clock", x=0.16, y=0.05, width=0.3, size=0.6),
                        LiveOverlay("sticker", x=0.82, y=0.7, width=0.22, source="heart_beat")):
            live = le.add_overlay(live, "scene-1", overlay)
        live, second = le.add_scene(live, "Be right back")
        live = le.add_overlay(live, second, LiveOverlay("countdown", x=0.5, y=0.4, width=0.8, text="Back in {}"))
        live = dataclasses.replace(live, url=server.url)
        push_live(doc, "Live setup", live)
        window.settings.camera, window.settings.file_camera = "file", camera
        window.set_mode("live")
        panel.output.key.setText("screenshot-key")
        _pump(app, 3.0)
        panel.go_live()
        deadline = time.monotonic() + 20
        while panel.state != "live" and time.monotonic() < deadline:
            _pump(app, 0.2)
        _pump(app, 2.0)
        panel.highlight()
        panel.editor.setCurrentIndex(1)  # the Overlays tab
        panel.editor.overlay_list.setCurrentRow(0)
        _pump(app, 3.5)
        window.grab().save(str(out / "live.png"))
        print(f"wrote {out / 'live.png'}")
        panel.highlight()
        _pump(app, 1.5)
        doc.mark_clean()  # the recording replaces the project without the unsaved-changes question
        panel.end()
        deadline = time.monotonic() + 60
        while window.mode != "edit" and time.monotonic() < deadline:
            _pump(app, 0.2)
        dialog = window.open_make_shorts()
        dialog.before.setValue(2.0)
        dialog.after.setValue(2.0)
        dialog.out_dir.setText(str(work / "shorts"))
        dialog.start()
        deadline = time.monotonic() + 180
        while dialog.running and time.monotonic() < deadline:
            _pump(app, 0.2)
        _pump(app, 0.5)
        dialog.grab().save(str(out / "make_shorts.png"))
        print(f"wrote {out / 'make_shorts.png'}")
        dialog.reject()
    finally:
        server.stop()


def _teardown(app, window, work: Path) -> None:
    """Close the window and shut Qt down before interpreter finalisation (see studio.ui.app.run_app)."""
    import gc

    window._closing_ok = True
    window.close()
    window.deleteLater()
    app.processEvents()
    shutil.rmtree(work, ignore_errors=True)
    del window
    gc.collect()
    app.shutdown()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--camera", help="video file to use as the camera in Record mode")
    parser.add_argument("--only", choices=("captions", "start", "library", "live"), help="take just this screenshot")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="QT_SCALE_FACTOR: other than 1, only Edit mode, as edit_<percent>.png")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    xvfb = _start_xvfb("1920x1080x24" if args.scale != 1.0 else "1600x1000x24")
    sys.path.insert(0, str(ROOT))
    try:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from studio.ui.app import create_window, demo_project_path
        from studio.ui.settings import Settings
        from studio.ui.theme import apply_dark_theme

        work = Path(tempfile.mkdtemp(prefix="studio-shots-"))
        app = QApplication([sys.argv[0]])
        apply_dark_theme(app)
        settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
        settings.recovery_dir = work / "recovery"
        settings.output_dir = work
        project = demo_project_path(work / "demo")
        window = create_window(project, settings)
        window.resize(*((1440, 900) if args.scale == 1.0 else (1280, 720)))  # a scaled one fills the screen
        window.show()
        doc = window.document
        doc.set_playhead(100)
        doc.select(["text-2"])
        window.preview.set_safe_zone("tiktok")
        _pump(app, 2.0)
        webcams = sorted((ROOT.parent / "shared" / "media").glob("webcam_*.mkv"))
        # a real face when the shared webcam clips are here (AR sunglasses on it), else the demo clip
        webcam = ROOT.parent / "shared" / "media" / "webcam_book.mkv"
        camera = args.camera or str(webcam if webcam.exists() else project.parent / "demo_clip.mp4")
        face = args.camera is not None or webcam.exists()
        if args.only or args.scale != 1.0:
            if args.only == "captions":
                _captions_shot(window, doc, app, webcams, project.parent / "demo_clip.mp4", work, out)
            elif args.only == "start":
                _start_shot(window, app, settings, project, webcams, work, out)
            elif args.only == "library":
                _library_shots(window, app, out)
            elif args.only == "live":
                _live_shots(window, app, camera, face, work, out)
            else:
                deadline = time.monotonic() + 60
                while window.thumbnails.pending() and time.monotonic() < deadline:
                    _pump(app, 0.2)
                _pump(app, 1.0)
                name = f"edit_{round(args.scale * 100)}.png"
                window.grab().save(str(out / name))
                print(f"wrote {out / name}")
            _teardown(app, window, work)
            return 0
        deadline = time.monotonic() + 60
        while window.thumbnails.pending() and time.monotonic() < deadline:
            _pump(app, 0.2)  # thumbnails and waveforms arrive
        _pump(app, 1.0)
        window.grab().save(str(out / "edit.png"))
        print(f"wrote {out / 'edit.png'}")
        _library_shots(window, app, out)
        _start_shot(window, app, settings, project, webcams, work, out)

        # the template gallery (its preview playing), then a filled template with a swapped slot
        media = [str(p) for p in webcams] or [str(project.parent / "demo_clip.mp4")]
        gallery = window.open_templates()
        gallery.grid.setCurrentRow(next(i for i in range(gallery.grid.count())
                                        if gallery.grid.item(i).data(256) == "day-in-my-life"))
        _pump(app, 1.5)
        gallery.grab().save(str(out / "templates.png"))
        print(f"wrote {out / 'templates.png'}")
        gallery.use_template(media[:3])
        deadline = time.monotonic() + 120
        while gallery.tasks.running and time.monotonic() < deadline:
            _pump(app, 0.2)
        slot = next(i for i in doc.project.timeline.tracks[0].items if i.id.startswith("slot-"))
        window.actions_.drop([Path(media[-1])], slot.start + 1, 0)  # swap the first slot
        doc.select([slot.id])
        doc.set_playhead(slot.start + 10)
        _pump(app, 3.0)
        window.grab().save(str(out / "template_swapped.png"))
        print(f"wrote {out / 'template_swapped.png'}")

        # layers: a keyed picture-in-picture over a clip, then a cross-dissolve into a third clip
        if len(webcams) >= 3:
            _layers_shots(window, doc, app, webcams, out)
        _captions_shot(window, doc, app, webcams, project.parent / "demo_clip.mp4", work, out)

        window.record_panel.use_file_camera(Path(camera))
        window.set_mode("record")
        panel = window.record_panel
        if not face:
            panel.looks_list.setCurrentRow(1)  # Vivid
        for i in range(panel.effects_list.count()):
            if panel.effects_list.item(i).data(256) == ("face_sticker" if face else "vignette"):
                panel.effects_list.item(i).setSelected(True)  # face_sticker's default: sunglasses
        _pump(app, 6.0 if face else 2.0)  # MediaPipe loads its face model on the first frames
        while window.thumbnails.pending() and time.monotonic() < deadline:
            _pump(app, 0.2)
        _pump(app, 2.0)
        window.grab().save(str(out / "record.png"))
        print(f"wrote {out / 'record.png'}")

        # recording to a sound: picked, then a few seconds into the take
        from studio.capture.backing import SoundChoice

        panel.set_sound(SoundChoice("funk-strut", 12.0))
        panel.set_choice("countdown", 0)
        panel.record_button.click()
        _pump(app, 3.0)
        window.grab().save(str(out / "record_sound.png"))
        print(f"wrote {out / 'record_sound.png'}")
        panel.finish_button.click()
        panel.wait_for_takes()
        _live_shots(window, app, camera, face, work, out)
        _teardown(app, window, work)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
