"""`studio record` / `studio recover` as a user runs them: kill -9 mid-take, Ctrl+C / SIGTERM,
no camera, a disk that fills up mid-take."""
from __future__ import annotations

import glob
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import pytest

from capture_media import FPS, read_numbers, video_info
from studio.capture import find_unfinished
from studio.cli import main

REPO = Path(__file__).resolve().parents[2]


class Recording:
    """`python -m studio record ...` in a subprocess, with its stderr collected as it comes."""

    def __init__(self, *args, preexec_fn=None):
        self.proc = subprocess.Popen([sys.executable, "-m", "studio", "record", *map(str, args)], cwd=REPO,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=preexec_fn)
        self.lines: list[str] = []
        self.recording = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("recording"):
                self.recording.set()

    def wait_recording(self, timeout: float = 20) -> None:
        assert self.recording.wait(timeout), "\n".join(self.lines)

    def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        out = self.proc.stdout.read()
        rc = self.proc.wait(timeout)
        self._reader.join(5)
        return rc, out, "\n".join(self.lines)


def decoded_seconds(path: Path) -> float:
    with av.open(str(path)) as c:
        last = max((f.time for f in c.decode(video=0)), default=0.0)
    return last + 1 / FPS


def test_sigkill_mid_take_leaves_a_playable_file_that_recover_finalises(numbered_clip, tmp_path):
    target = tmp_path / "take.mp4"
    rec = Recording("--camera", numbered_clip, "--countdown", "0", "--max", "60", "-o", target)
    rec.wait_recording()
    time.sleep(3.0)
    recorded = 3.0
    rec.proc.kill()
    rc, _, _ = rec.finish()
    assert rc == -signal.SIGKILL
    leftover = tmp_path / "take.mp4.recording.mkv"
    assert not target.exists() and leftover.is_file()
    assert decoded_seconds(leftover) >= recorded - 1.0
    assert find_unfinished(tmp_path) == [leftover]

    assert main(["recover", str(tmp_path)]) == 0
    assert not leftover.exists() and find_unfinished(tmp_path) == []
    numbers = read_numbers(target)
    frames, duration, _ = video_info(target)
    assert duration >= recorded - 1.0 and duration == pytest.approx(frames / FPS, abs=0.01)
    assert set(b - a for a, b in zip(numbers, numbers[1:])) == {1}
    assert (tmp_path / "take.studio").is_file()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_and_keep_the_take(numbered_clip, tmp_path, sig):
    target = tmp_path / "kept.mp4"
    rec = Recording("--camera", numbered_clip, "--countdown", "0", "--max", "60", "-o", target)
    rec.wait_recording()
    time.sleep(1.5)
    rec.proc.send_signal(sig)
    rc, out, err = rec.finish()
    assert rc == 0, err
    assert f"saved {target}" in out
    frames, duration, _ = video_info(target)
    assert 1.3 <= duration <= 2.5
    assert not glob.glob(str(tmp_path / "*.recording.*"))


def test_no_camera_is_one_line_and_exit_3(tmp_path, capsys):
    if glob.glob("/dev/video*"):
        pytest.skip("this machine has a camera")
    assert main(["record", "--camera", "0", "-o", str(tmp_path / "x.mp4")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["studio: error: no camera found: no /dev/video* devices; use --camera FILE to record "
                   "from a video file"]
    assert main(["record", "--camera", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "x.mp4")]) == 3
    assert "missing.mp4: no such file" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_folder_exit_3(numbered_clip, tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["record", "--camera", str(numbered_clip), "--countdown", "0", "-o",
                 str(tmp_path / "file" / "take.mp4")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the take there" in err[0]


def _small_disk():
    # a "disk" that fills up after 300 kB: writes past it fail with EFBIG instead of killing us
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_disk_full_mid_take_keeps_what_was_recorded(numbered_clip_with_sound, tmp_path):
    target = tmp_path / "full.mp4"
    rec = Recording("--camera", numbered_clip_with_sound, "--countdown", "0", "--max", "8", "-o", target,
                    preexec_fn=_small_disk)
    rc, out, err = rec.finish()
    assert rc == 0, err
    assert "studio: warning: the take ended early: write error" in err and "File too large" in err
    numbers = read_numbers(target)
    assert len(numbers) >= 15 and set(b - a for a, b in zip(numbers, numbers[1:])) == {1}


def test_bad_effect_and_no_microphone_messages(numbered_clip, tmp_path, capsys):
    assert main(["record", "--camera", str(numbered_clip), "--effect", "no_such_effect", "-o",
                 str(tmp_path / "x.mp4")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("studio: error:") and "no_such_effect" in err[-1]
    assert list(tmp_path.iterdir()) == []


def test_no_sound_card_means_recording_without_sound():
    from studio.capture.microphone import NO_MICROPHONE, open_microphone

    if glob.glob("/dev/snd/pcmC*c"):
        pytest.skip("this machine has a sound card")
    mic, why = open_microphone()
    assert mic is None and why.startswith(NO_MICROPHONE)


def test_countdown_take_starts_three_seconds_after_the_command(numbered_clip, tmp_path):
    """The file camera plays from the moment the command began, and the countdown runs from then
    too: the take's first picture is the file at 3 s (± 0.3 s), however long start-up took."""
    target = tmp_path / "take.mp4"
    rc, _, err = Recording("--camera", numbered_clip, "--countdown", "3", "--max", "2", "-o", target).finish()
    assert rc == 0, err
    numbers = read_numbers(target)
    assert abs(numbers[0] - 3 * FPS) <= 0.3 * FPS, numbers[:5]
    assert len(numbers) == 2 * FPS


def test_record_to_a_library_sound_places_it_and_mutes_the_camera(numbered_clip_with_sound, tmp_path, capsys):
    from studio.library.sounds import get_sound
    from studio.model import Clip, SoundItem, load_project

    out = tmp_path / "take.mp4"
    rc = main(["record", "--camera", str(numbered_clip_with_sound), "--countdown", "0", "--max", "60",
               "--sound", "sunny-pop@0:29.5", "-o", str(out)])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "can't be heard here" in captured.err and "in sync" in captured.err  # no audio output here
    # the take stops where the sound ends: the part of sunny-pop from 0:29.5 on
    fits = get_sound("sunny-pop").duration - 29.5
    frames, duration, _ = video_info(out)
    assert duration == pytest.approx(fits, abs=2 / FPS)
    project = load_project(out.with_suffix(".studio"))
    video, sound, camera = project.timeline.tracks
    clip = video.items[0]
    assert isinstance(clip, Clip) and clip.volume == 0.0  # the camera's sound is not doubled
    item = sound.items[0]
    assert isinstance(item, SoundItem) and item.source == "sunny-pop" and item.source_in == 885
    assert item.start == 0 and item.duration == clip.duration and not sound.muted
    assert camera.muted and camera.items[0].source == clip.source  # kept, on its own muted track
    assert "recorded to Sunny Side Up from 00:29.5" in captured.out


def test_record_to_a_video_without_sound_is_one_line(numbered_clip, tmp_path, capsys):
    rc = main(["record", "--camera", str(numbered_clip), "--countdown", "0", "--sound", f"{numbered_clip}@1",
               "-o", str(tmp_path / "t.mp4")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 3 and err[-1].startswith("studio: error:") and "no sound to record to" in err[-1]
    assert not (tmp_path / "t.mp4").exists()
