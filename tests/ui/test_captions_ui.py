"""Captions in the window (Edit ▸ Generate captions…, the Captions tab): generated from a clip of
real synthetic speech (eSpeak NG, word starts known) by recognition and by timing a pasted script,
then edited in the list — text, split, merge, shift, delete, restyle — each one named undo step
that Ctrl+Z takes back and redo brings again; SRT import and VTT export; no speech says so."""
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.captions.edits import caption_items
from studio.captions.subtitles import read_subtitles
from studio.model import Clip, Project, Timeline, Track, save_project
from studio.render.compositor import render_frame

SPOKEN = Path(__file__).resolve().parents[1] / "captions"  # spoken.py: eSpeak NG with word times
SAID = ["Hello everyone, welcome to my channel.", "Today we test three microphones."]
LINES = ["Hello everyone,", "welcome to", "my channel.", "Today we test", "three microphones."]
SRT = """1
00:00:00,500 --> 00:00:01,500
first line here

2
00:00:02,000 --> 00:00:03,000
second line

3
00:00:03,500 --> 00:00:04,500
the third one
"""


@pytest.fixture(autouse=True)
def private_user_data(tmp_path, monkeypatch):
    """No look at the real user's Whisper model: the built-in engine is the one in use."""
    monkeypatch.setenv("STUDIO_USER_DATA", str(tmp_path / "user-data"))
    monkeypatch.delenv("STUDIO_WHISPER_MODEL", raising=False)


@pytest.fixture(scope="module")
def talk(tmp_path_factory):
    """A 6 s portrait clip whose sound is SAID (eSpeak NG) and eSpeak's word starts. Made in a
    child process: eSpeak keeps global state, and a second instance in this process would change
    the speech the captions tests measure against."""
    folder = tmp_path_factory.mktemp("talk-ui")
    code = (f"import json, sys; sys.path.insert(0, {str(SPOKEN)!r}); from pathlib import Path; "
            "from spoken import espeak_or_none, write_talking_video; e = espeak_or_none(); "
            "sys.exit(3) if e is None else None; "
            f"s = e.speech({SAID!r}, 'en-us', 165); write_talking_video(Path({str(folder / 'talk-ui.mp4')!r}), s); "
            "print(json.dumps({'words': s.words, 'duration': s.duration}))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    if run.returncode == 3:
        pytest.skip("espeak-ng is not installed (./setup.sh installs it)")
    assert run.returncode == 0, run.stderr
    speech = json.loads(run.stdout.strip().splitlines()[-1])
    return folder / "talk-ui.mp4", SimpleNamespace(words=[tuple(w) for w in speech["words"]],
                                                   duration=speech["duration"])


def project_with(folder: Path, video: Path, seconds: float, name: str = "talk.studio") -> Path:
    frames = int(seconds * 30)
    track = Track("video", (Clip("clip-1", str(video), 0, frames, source_frames=frames),), name="Video")
    return save_project(Project(name="Talk", fps=Fraction(30), timeline=Timeline((track,))), folder / name)


@pytest.fixture
def talk_window(make_window, talk, tmp_path):
    video, speech = talk
    window = make_window(project_with(tmp_path, video, speech.duration - 0.05))
    return window, window.open_captions(), speech


def generate(qtbot, panel, script: str | None = None):
    panel.script.setPlainText(script or "")
    panel.generate_button.click()
    assert panel.cancel_button.isEnabled() and not panel.generate_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.tasks.running, timeout=60000)
    assert panel.generate_button.isEnabled() and not panel.cancel_button.isEnabled()


def rows(panel) -> list[str]:
    return [panel.table.item(r, 2).text() for r in range(panel.table.rowCount())]


def undo_keys(qtbot, window, redo: bool = False) -> None:
    mods = Qt.KeyboardModifier.ControlModifier | (Qt.KeyboardModifier.ShiftModifier if redo else
                                                   Qt.KeyboardModifier.NoModifier)
    qtbot.keyClick(window.captions.table, Qt.Key.Key_Z, mods)


def test_generate_recognises_the_speech_into_a_captions_track(talk_window, qtbot):
    window, panel, speech = talk_window
    assert window.side_tabs.currentWidget() is window.captions_page and window.captions_page.widget() is panel
    assert panel.engine_label.text() == "Using PocketSphinx (built in, English)."
    assert "faster-whisper" in panel.better_label.text() and "models" in panel.better_label.text()
    generate(qtbot, panel)
    doc = window.document
    items = caption_items(doc.project)
    assert doc.project.timeline.tracks[-1].name == "Captions" and len(items) >= 3
    said = " ".join(i.content for i in items).lower()
    assert "hello everyone" in said and "microphone" in said
    first = next(t for w, t in speech.words if w == "Hello")
    assert abs(items[0].start / 30 - first) < 0.2  # the first line starts when "Hello" is said
    assert all(a.end <= b.start for a, b in zip(items, items[1:])) and items[-1].end <= doc.project.duration
    assert rows(panel) == [i.content for i in items]
    assert "recognised by pocketsphinx" in panel.message.text()
    assert doc.undo_stack.undoText() == "Generate captions"
    undo_keys(qtbot, window)
    assert caption_items(doc.project) == [] and panel.table.rowCount() == 0
    undo_keys(qtbot, window, redo=True)
    assert caption_items(doc.project) == items


def test_a_pasted_script_is_timed_word_by_word_and_edited_inline(talk_window, qtbot):
    window, panel, speech = talk_window
    doc = window.document
    generate(qtbot, panel, " ".join(SAID))
    items = caption_items(doc.project)
    assert [i.content for i in items] == LINES
    starts = dict((w, t) for w, t in speech.words if t is not None)
    for item, word in zip(items, ("Hello", "welcome", "my", "Today", "three")):
        assert abs(item.start / 30 - starts[word]) < 0.12, (item.content, item.start / 30, starts[word])
    assert "aligned to the script" in panel.message.text()

    # edit a line's text inline: one undo step named after it; Ctrl+Z and redo
    before = doc.project
    panel.table.item(1, 2).setText("welcome two")
    qtbot.waitUntil(lambda: doc.project is not before)
    assert doc.undo_stack.undoText() == "Edit caption “welcome to”"
    edited = caption_items(doc.project)[1]
    assert edited.content == "welcome two" and edited.start == items[1].start
    assert rows(panel)[1] == "welcome two"
    undo_keys(qtbot, window)
    assert doc.project == before and rows(panel) == LINES
    doc.undo_stack.redo()
    assert caption_items(doc.project)[1].content == "welcome two"


@pytest.fixture
def srt_window(make_window, talk, tmp_path):
    """The talk clip with SRT's captions imported (no speech engine involved)."""
    video, speech = talk
    window = make_window(project_with(tmp_path, video, speech.duration - 0.05))
    panel = window.open_captions()
    srt = tmp_path / "lines.srt"
    srt.write_text(SRT)
    assert panel.import_file(srt)
    return window, panel


def spans(doc) -> list[tuple[str, int, int]]:
    return [(i.content, i.start, i.end) for i in caption_items(doc.project)]


def test_split_merge_shift_delete_are_each_one_undo_step(srt_window, qtbot):
    window, panel = srt_window
    doc = window.document
    imported = spans(doc)
    assert imported == [("first line here", 15, 45), ("second line", 60, 90), ("the third one", 105, 135)]
    assert doc.undo_stack.undoText() == "Import captions from lines.srt"

    def check_undo(name: str, after) -> None:
        assert doc.undo_stack.undoText() == name
        undo_keys(qtbot, window)
        assert spans(doc) == imported and rows(panel) == [c for c, _, _ in imported]
        undo_keys(qtbot, window, redo=True)
        assert spans(doc) == after

    # selecting a line moves the playhead to it; split before the word at the text cursor
    panel.select_line("caption-1")
    assert doc.playhead == 15 and doc.selection == ("caption-1",)
    assert panel.line_edit.text() == "first line here"
    panel.line_edit.setCursorPosition(len("first "))
    panel.split_button.click()
    after = spans(doc)
    # an SRT has no word times: they were estimated from the words' lengths ("line" at 0.875 s)
    assert after[:2] == [("first", 15, 26), ("line here", 26, 45)]
    check_undo("Split caption “first line here”", after)

    undo_keys(qtbot, window)
    panel.select_line("caption-2")
    panel.merge_button.click()
    after = spans(doc)
    assert after == [("first line here", 15, 45), ("second line the third one", 60, 135)]
    check_undo("Merge caption “second line” with the next", after)

    undo_keys(qtbot, window)
    panel.later_button.click()
    after = spans(doc)
    assert [s for _, s, _ in after] == [18, 63, 108]
    check_undo("Shift captions +0.10 s", after)

    undo_keys(qtbot, window)
    panel.select_line("caption-2")
    panel.selected_only.setChecked(True)
    panel.shift_value.setValue(-2.0)  # held at the end of the line before
    panel.shift_button.click()
    after = spans(doc)
    assert after[1] == ("second line", 45, 75)
    check_undo("Shift 1 caption line -0.50 s", after)

    undo_keys(qtbot, window)
    panel.select_line("caption-3")
    panel.delete_button.click()
    after = spans(doc)
    assert [c for c, _, _ in after] == ["first line here", "second line"]
    check_undo("Delete caption “the third one”", after)


def test_restyle_all_changes_the_rendered_captions(srt_window, qtbot):
    window, panel = srt_window
    doc = window.document
    frame = 30  # "first line here" is up
    styles = [panel.style.itemData(i) for i in range(panel.style.count())]
    from studio.library.styles import list_styles

    assert styles == [s.id for s in list_styles()]  # whatever the library offers now
    old = caption_items(doc.project)[0].style
    new = next(s for s in ("neon", "bubble", "label_dark") if s in styles and s != old)
    before = render_frame(doc.project, frame, (270, 480)).astype(int)
    panel.style.setCurrentIndex(styles.index(new))
    panel.restyle_button.click()
    assert {i.style for i in caption_items(doc.project)} == {new}
    assert doc.undo_stack.undoText() == "Restyle captions"
    after = render_frame(doc.project, frame, (270, 480)).astype(int)
    band = slice(int(480 * 0.55), int(480 * 0.85))  # the captions sit low in the safe zone
    assert np.abs(after[band] - before[band]).mean() > 2.0
    assert np.array_equal(after[:200], before[:200])  # the picture above them is the same
    undo_keys(qtbot, window)
    assert {i.style for i in caption_items(doc.project)} == {old}
    assert np.array_equal(render_frame(doc.project, frame, (270, 480)).astype(int), before)
    undo_keys(qtbot, window, redo=True)
    assert {i.style for i in caption_items(doc.project)} == {new}


def test_import_srt_then_export_vtt(srt_window, tmp_path):
    window, panel = srt_window
    panel.table.item(0, 2).setText("first line here")  # unchanged text: no undo step
    out = panel.export_file(tmp_path / "out.vtt")
    text = out.read_text()
    assert text.startswith("WEBVTT")
    assert "00:00:00.500 --> 00:00:01.500\nfirst line here" in text
    assert [(ln.text, round(ln.start, 3), round(ln.end, 3)) for ln in read_subtitles(out)] == \
           [(ln.text, round(ln.start, 3), round(ln.end, 3)) for ln in read_subtitles(tmp_path / "lines.srt")]
    assert "Wrote 3 caption lines to out.vtt" in panel.message.text()
    assert not panel.import_file(tmp_path / "missing.srt")
    assert "missing.srt: file not found" in panel.message.text()
    assert window.document.undo_stack.count() == 1


def test_no_speech_says_so_and_keeps_the_captions(make_window, clip_file, tmp_path, qtbot):
    silent = clip_file(tmp_path / "silent-ui.mp4", seconds=2.0, audio=False)
    window = make_window(project_with(tmp_path, silent, 2.0))
    window.acts["captions"].trigger()  # Edit ▸ Generate captions…
    panel = window.captions
    assert window.side_tabs.currentWidget() is window.captions_page and window.captions_page.widget() is panel
    srt = tmp_path / "keep.srt"
    srt.write_text("1\n00:00:00,100 --> 00:00:01,000\nkeep me\n")
    panel.import_file(srt)
    kept = window.document.project
    generate(qtbot, panel)
    assert panel.message.text().startswith("No captions: Talk: no sound to caption")
    assert "Nothing was changed" in panel.message.text()
    assert window.document.project is kept and window.document.undo_stack.count() == 1
    # cancelled: whatever the engine found is dropped
    panel.generate_button.click()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: not panel.tasks.running, timeout=60000)
    assert "cancelled" in panel.message.text() and window.document.project is kept
