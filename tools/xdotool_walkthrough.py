"""The window's "must show", done as a user would: under Xvfb on a fresh profile, start `studio`
(no arguments: the demo project), play it, export it through the Export dialog and batch-export it
with two presets, then quit — driven only by X keyboard and mouse events (xdotool), checked by
screenshots and by decoding the exported files with PyAV.

    python tools/xdotool_walkthrough.py [--shots DIR] [--keep]

Needs Xvfb, xdotool and ImageMagick's `import` (installed with apt-get when missing and running as
root). Prints a summary with timings; exit status 0 when every step passed."""
from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}
EXPECTED = (1080, 1920, 240)  # the demo: 8 s at 30 fps, exported at 1080x1920


class StepFailed(Exception):
    pass


def ensure_tools() -> None:
    missing = [pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"missing tools ({', '.join(missing)}): apt-get install -y {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True)


def free_display() -> str:
    for n in range(99, 160):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return f":{n}"
    raise SystemExit("no free X display number between :99 and :159")


class Desktop:
    """An Xvfb screen plus the xdotool / import calls the walkthrough makes on it."""

    def __init__(self, shots: Path):
        self.display = free_display()
        self.shots = shots
        self.count = 0
        self.xvfb = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.env = dict(os.environ, DISPLAY=self.display)
        for _ in range(100):
            if self.run("xdotool", "getdisplaygeometry", check=False).returncode == 0:
                return
            time.sleep(0.05)
        raise SystemExit(f"Xvfb did not start on {self.display}")

    def run(self, *args, check=True, timeout=60) -> subprocess.CompletedProcess:
        result = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise StepFailed(f"{' '.join(args)}: {result.stderr.strip() or result.returncode}")
        return result

    def key(self, *keys: str) -> None:
        for k in keys:
            self.run("xdotool", "key", "--clearmodifiers", k)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.run("xdotool", "type", "--delay", "20", text)
        time.sleep(0.1)

    def find(self, name: str, timeout: float = 30) -> str:
        """The id of the first visible window whose title matches the regex `name` (waits for it)."""
        try:
            out = self.run("xdotool", "search", "--sync", "--onlyvisible", "--name", name, timeout=timeout).stdout
        except subprocess.TimeoutExpired:
            raise StepFailed(f"no window titled {name!r} within {timeout:.0f} s") from None
        return out.split()[0]

    def visible(self, name: str) -> bool:
        return bool(self.run("xdotool", "search", "--onlyvisible", "--name", name, check=False).stdout.strip())

    def focus(self, window: str) -> None:
        # no window manager under Xvfb: give the window the keyboard focus and put the pointer on it
        self.run("xdotool", "windowfocus", "--sync", window, check=False)
        geo = self.geometry(window)
        self.run("xdotool", "mousemove", str(geo[0] + geo[2] // 2), str(geo[1] + 12))
        time.sleep(0.1)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        out = self.run("xdotool", "getwindowgeometry", "--shell", window).stdout
        v = dict(line.split("=") for line in out.split())
        return int(v["X"]), int(v["Y"]), int(v["WIDTH"]), int(v["HEIGHT"])

    def click(self, x: int, y: int) -> None:
        self.run("xdotool", "mousemove", str(x), str(y), "click", "1")
        time.sleep(0.2)

    def grab(self) -> np.ndarray:
        png = subprocess.run(["import", "-window", "root", "png:-"], env=self.env, capture_output=True,
                             timeout=30, check=True).stdout
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.shots / f"{self.count:02d}_{name}.png"
        Image.fromarray(self.grab()).save(path)
        return path

    def wait_change(self, before: np.ndarray, box=None, timeout: float = 10, min_pixels: int = 200) -> float:
        """Seconds until the screen (or `box` = x, y, w, h of it) differs from `before`."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if changed(before, self.grab(), box) >= min_pixels:
                return time.monotonic() - start
            time.sleep(0.05)
        raise StepFailed(f"the screen did not change within {timeout:.0f} s")

    def wait_still(self, box=None, quiet: float = 1.0, timeout: float = 30) -> None:
        """Wait until the screen (or `box`) has not changed for `quiet` seconds (e.g. "Finishing" has
        turned into the final summary)."""
        start = time.monotonic()
        last, since = self.grab(), time.monotonic()
        while time.monotonic() - start < timeout:
            time.sleep(0.25)
            now = self.grab()
            if changed(last, now, box) > 0:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def close(self) -> None:
        self.xvfb.terminate()
        self.xvfb.wait(10)


def changed(a: np.ndarray, b: np.ndarray, box=None) -> int:
    if box is not None:
        x, y, w, h = box
        a, b = a[y:y + h, x:x + w], b[y:y + h, x:x + w]
    return int((np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > 24).sum())


def check_video(path: Path) -> tuple[int, int, int]:
    """(width, height, frames) of `path`, decoded with PyAV."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return stream.codec_context.width, stream.codec_context.height, frames


def wait_for_videos(paths: list[Path], timeout: float) -> float:
    """Seconds until every file exists and decodes (exports are renamed into place when complete)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if all(p.exists() for p in paths):
            return time.monotonic() - start
        time.sleep(0.2)
    raise StepFailed(f"not written within {timeout:.0f} s: {', '.join(p.name for p in paths if not p.exists())}")


def studio_command() -> list[str]:
    local = Path(sys.executable).with_name("studio")
    return [str(local)] if local.exists() else [shutil.which("studio") or "studio"]


def walkthrough(desk: Desktop, home: Path, out: Path, timings: dict, log) -> None:
    env = dict(desk.env, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_RUNTIME_DIR=str(home / "run"), QT_QPA_PLATFORM="xcb")
    (home / "run").mkdir(mode=0o700)
    before = desk.grab()
    t0 = time.monotonic()
    app = subprocess.Popen(studio_command(), env=env, cwd=home, stdout=open(home / "studio.log", "w"),
                           stderr=subprocess.STDOUT)
    try:
        _drive(desk, app, t0, before, out, timings, log)
    finally:
        if app.poll() is None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()


def _drive(desk: Desktop, app, t0: float, blank: np.ndarray, out: Path, timings: dict, log) -> None:
    # -- 1. first start: window mapped, then answering a key (Alt+F opens the File menu) --------
    main = desk.find("Studio$", timeout=60)
    timings["window mapped"] = time.monotonic() - t0
    desk.focus(main)
    shown = desk.grab()
    desk.key("alt+f")
    desk.wait_change(shown, timeout=20)
    timings["window responds"] = time.monotonic() - t0
    desk.shot("file_menu")
    desk.key("Escape")
    desk.find(r"demo\.studio", timeout=60)
    timings["demo open"] = time.monotonic() - t0
    time.sleep(0.5)  # the first preview frame
    desk.focus(main)
    desk.shot("demo_open")
    log(f"window mapped {timings['window mapped']:.2f} s, responds {timings['window responds']:.2f} s, "
        f"demo open {timings['demo open']:.2f} s")

    # -- 2. play: Space, the picture and the time label move, Space again pauses -------------------
    gx, gy, gw, gh = desk.geometry(main)
    preview = (gx + gw // 3, gy + 60, gw // 3, gh // 2 + 60)  # the middle column: picture + transport
    still = desk.grab()
    desk.key("space")
    desk.wait_change(still, box=preview, timeout=10)
    time.sleep(1.5)
    a = desk.grab()
    time.sleep(0.5)
    moving = changed(a, desk.grab(), preview)
    desk.shot("playing")
    desk.key("space")
    if moving < 200:
        raise StepFailed("Space did not start playback (the preview stopped changing)")
    log(f"playback: {moving} preview pixels changed in 0.5 s")

    # -- 3. export dialog: Ctrl+E, Alt+Q draft, Alt+F file, Alt+E export ------------------------------
    desk.key("ctrl+e")
    dialog = desk.find("^Export$")
    desk.focus(dialog)
    time.sleep(0.3)
    target = out / "walkthrough.mp4"
    desk.key("alt+q")
    desk.type("Draft")
    desk.key("alt+f", "ctrl+a")
    desk.type(str(target))
    desk.shot("export_dialog")
    t = time.monotonic()
    desk.key("alt+e")
    time.sleep(1.0)
    desk.shot("export_running")
    wait_for_videos([target], timeout=300)
    timings["export"] = time.monotonic() - t
    desk.wait_still(box=desk.geometry(dialog), quiet=1.5)
    desk.shot("export_done")
    w, h, n = check_video(target)
    log(f"export: {target.name} {w}x{h}, {n} frames in {timings['export']:.1f} s")
    if (w, h, n) != EXPECTED:
        raise StepFailed(f"{target}: {w}x{h}, {n} frames; expected {EXPECTED}")
    desk.key("Escape")
    time.sleep(0.5)
    if desk.visible("^Export$"):
        raise StepFailed("Escape did not close the Export dialog")

    # -- 4. batch: Ctrl+Shift+E, Alt+O open project, Alt+2 Reels (TikTok is the default), draft --------
    desk.focus(main)
    desk.key("ctrl+shift+e")
    batch = desk.find("^Batch export$")
    desk.focus(batch)
    time.sleep(0.3)
    folder = out / "batch"
    desk.key("alt+o", "alt+2", "alt+q")
    desk.type("Draft")
    desk.key("alt+d", "ctrl+a")
    desk.type(str(folder))
    desk.shot("batch_dialog")
    t = time.monotonic()
    desk.key("alt+s")
    time.sleep(1.5)
    desk.shot("batch_running")
    outputs = [folder / "demo-tiktok.mp4", folder / "demo-reels.mp4"]
    wait_for_videos(outputs, timeout=600)
    timings["batch"] = time.monotonic() - t
    desk.wait_still(box=desk.geometry(batch), quiet=1.5)
    desk.shot("batch_done")
    for path in outputs:
        w, h, n = check_video(path)
        log(f"batch: {path.name} {w}x{h}, {n} frames")
        if (w, h, n) != EXPECTED:
            raise StepFailed(f"{path}: {w}x{h}, {n} frames; expected {EXPECTED}")
    log(f"batch: 2 jobs in {timings['batch']:.1f} s")

    # -- 5. quit: Escape closes the batch dialog, Ctrl+Q the window --------------------------------------
    desk.key("Escape")
    time.sleep(0.5)
    desk.focus(main)
    desk.key("ctrl+q")
    t = time.monotonic()
    while app.poll() is None and time.monotonic() - t < 20:
        time.sleep(0.1)
    if app.poll() is None:
        desk.shot("quit_failed")
        raise StepFailed("Ctrl+Q did not quit Studio within 20 s")
    timings["quit"] = time.monotonic() - t
    desk.shot("after_quit")
    log(f"quit with exit status {app.returncode} in {timings['quit']:.1f} s")
    if app.returncode != 0:
        raise StepFailed(f"studio exited with status {app.returncode}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", help="folder for the screenshots (default: in the temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (profile, outputs)")
    args = parser.parse_args(argv)
    ensure_tools()
    work = Path(tempfile.mkdtemp(prefix="studio-walkthrough-"))
    shots = Path(args.shots) if args.shots else work / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    home, out = work / "home", work / "out"
    home.mkdir()
    out.mkdir()
    timings: dict[str, float] = {}
    steps: list[str] = []

    def log(text: str) -> None:
        steps.append(text)
        print(f"  {text}", flush=True)

    desk = Desktop(shots)
    failure = ""
    try:
        walkthrough(desk, home, out, timings, log)
    except StepFailed as exc:
        failure = str(exc)
        try:
            desk.shot("failure")
        except Exception:
            pass
    finally:
        desk.close()
    print("\nStudio UI walkthrough" + (" FAILED: " + failure if failure else ": all steps passed"))
    for name in ("window mapped", "window responds", "demo open", "export", "batch", "quit"):
        if name in timings:
            print(f"  {name:16s} {timings[name]:6.2f} s")
    print(f"  screenshots      {shots}")
    log_file = home / "studio.log"
    if failure and log_file.exists():
        print("  studio output:\n    " + "\n    ".join(log_file.read_text().splitlines()[-15:]))
    if args.keep or not args.shots:  # the default screenshots folder lives inside it
        print(f"  temp folder      {work} (profile, outputs{', screenshots' if not args.shots else ''})")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
