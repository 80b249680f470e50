"""Export through the dialog (progress, a decodable file of the right size and length) and a
batch of three jobs where one input is broken."""
import av
import numpy as np

from studio.model import load_project


def test_export_dialog_writes_a_valid_video(make_window, tmp_path, qtbot, tiny_project):
    make_tiny_project = tiny_project
    project_file = make_tiny_project(tmp_path / "tiny")
    window = make_window(project_file)
    dialog = window.open_export()
    # caption editing with counters against the preset's limits; hashtags as chips
    dialog.caption.setPlainText("Tiny test #one #two")
    dialog.chips.changed.emit(("three",))
    assert window.document.project.metadata.hashtags == ("three",)
    assert dialog.counts() == (len("Tiny test #one #two #three"), 3)
    dialog.preset.setCurrentIndex(dialog.preset.findData("reels"))
    assert "/ 2200 characters" in dialog.counters.text() and "/ 30 hashtags" in dialog.counters.text()
    dialog.cover_slider.setValue(10)
    assert window.document.project.metadata.cover_frame == 10
    # pre-flight before export
    dialog.run_preflight()
    qtbot.waitUntil(lambda: getattr(dialog, "preflight_report", None) is not None, timeout=30000)
    assert dialog.preflight_report["preset"] == "reels"
    out = tmp_path / "out" / "tiny.mp4"
    dialog.output.setText(str(out))
    dialog.quality.setCurrentIndex(dialog.quality.findData("draft"))
    dialog.start_export()
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running and dialog.result is not None or bool(dialog.error), timeout=60000)
    assert dialog.error == ""
    stages = [p.stage for p in dialog.progress_log]
    assert stages[0] == "checking" and "video" in stages and stages[-1] == "done"
    videos = [p for p in dialog.progress_log if p.stage == "video"]
    assert videos[-1].done == videos[-1].total == 30
    assert dialog.show_button.isEnabled() and dialog.progress.value() == 1000
    with av.open(str(out)) as c:
        stream = c.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(stream)]
    assert len(frames) == 30
    assert frames[0].shape == (1920, 1080, 3)
    # the clip's top half is blue-ish (B=200) and bottom half not: the picture really came through
    top, bottom = frames[15][300:600, 100:300].mean(axis=(0, 1)), frames[15][1500:1700, 100:300].mean(axis=(0, 1))
    assert top[2] > bottom[2] + 100
    assert (out.with_suffix(".json")).exists() and np.isclose(dialog.result.duration, 1.0)


def test_export_cancel_leaves_no_file(make_window, tmp_path, qtbot, tiny_project):
    make_tiny_project = tiny_project
    window = make_window(make_tiny_project(tmp_path / "tiny", seconds=3.0))
    dialog = window.open_export()
    out = tmp_path / "out" / "cancelled.mp4"
    dialog.output.setText(str(out))
    dialog.quality.setCurrentIndex(dialog.quality.findData("draft"))
    dialog.start_export()
    dialog.cancel_export()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.error == "cancelled" and dialog.result is None
    assert not out.exists() and not list(out.parent.glob(".*part"))


def test_batch_three_jobs_one_failing(make_window, tmp_path, qtbot, tiny_project):
    make_tiny_project = tiny_project
    a = make_tiny_project(tmp_path / "a", "a.studio")
    b = make_tiny_project(tmp_path / "b", "b.studio")
    broken = tmp_path / "broken.studio"
    broken.write_text("{ not json", encoding="utf-8")
    window = make_window(a)
    dialog = window.open_batch()
    for path in (a, b, broken):
        dialog.add_project_file(path)
    for pid, box in dialog.preset_boxes.items():
        box.setChecked(pid == "tiktok")
    dialog.quality.setCurrentIndex(dialog.quality.findData("draft"))
    dialog.out_dir.setText(str(tmp_path / "batch"))
    dialog.workers.setValue(2)
    (tmp_path / "batch").mkdir()
    earlier = tmp_path / "batch" / "a-tiktok.mp4"
    earlier.write_bytes(b"yesterday's export")  # the window never replaces an earlier batch's file
    (tmp_path / "batch" / "b-tiktok.cover.jpg").write_bytes(b"yesterday's cover")
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.running and bool(dialog.summary_text), timeout=85000)
    states = {s["id"]: s["state"] for s in dialog.statuses.values()}
    assert sorted(states.values()) == ["done", "done", "failed"]
    failed = next(s for s in dialog.statuses.values() if s["state"] == "failed")
    assert "broken.studio" in failed["error"] and "not valid JSON" in failed["error"]
    assert "2 done, 1 failed" in dialog.summary_text
    assert dialog.table.cellWidget(0, 2).value() == 1000
    assert earlier.read_bytes() == b"yesterday's export"
    assert (tmp_path / "batch" / "b-tiktok.cover.jpg").read_bytes() == b"yesterday's cover"
    assert "a-2-tiktok.mp4" in dialog.summary_text
    for name in ("a-2-tiktok.mp4", "b-2-tiktok.mp4"):
        with av.open(str(tmp_path / "batch" / name)) as c:
            assert c.streams.video[0].frames == 30 or sum(1 for _ in c.decode(video=0)) == 30
    assert not (tmp_path / "batch" / "broken-tiktok.mp4").exists()
    assert load_project(a).name == "Tiny"


def _draft_export(make_window, tiny_project, tmp_path, out):
    """A window on a tiny project and its export dialog, set to draft quality into `out`."""
    window = make_window(tiny_project(tmp_path / "tiny"))
    dialog = window.open_export()
    dialog.output.setText(str(out))
    dialog.quality.setCurrentIndex(dialog.quality.findData("draft"))
    return window, dialog


def test_export_dialog_refuses_to_write_over_the_projects_own_clip(make_window, tmp_path, qtbot, tiny_project):
    make_tiny_project = tiny_project
    window = make_window(make_tiny_project(tmp_path / "tiny"))
    clip = window.document.project.timeline.tracks[0].items[0].source
    before = open(clip, "rb").read()
    dialog = window.open_export()
    dialog.output.setText(clip)  # e.g. "Browse…" onto the clip it was made from
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.result is None and "would overwrite the input" in dialog.error
    assert open(clip, "rb").read() == before


def test_enter_in_the_hashtag_field_adds_a_tag_and_does_not_export(make_window, tmp_path, qtbot, tiny_project):
    from PySide6.QtCore import Qt

    out = tmp_path / "out" / "early.mp4"
    window, dialog = _draft_export(make_window, tiny_project, tmp_path, out)
    dialog.chips.entry.setFocus()
    qtbot.keyClicks(dialog.chips.entry, "#sunset")
    qtbot.keyClick(dialog.chips.entry, Qt.Key.Key_Return)
    qtbot.wait(200)
    assert not dialog.running and dialog.result is None
    assert "sunset" in window.document.project.metadata.hashtags
    assert not out.exists()


def test_exporting_over_an_existing_file_asks_first(make_window, tmp_path, qtbot, tiny_project, prompts):
    out = tmp_path / "earlier.mp4"
    out.write_bytes(b"an earlier export")
    window, dialog = _draft_export(make_window, tiny_project, tmp_path, out)
    prompts.answers["replace"] = False
    dialog.start_export()
    assert "replace" in prompts.asked and not dialog.running
    assert out.read_bytes() == b"an earlier export" and "kept" in dialog.eta.text()
    prompts.answers["replace"] = True
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.error == "" and out.read_bytes()[4:8] == b"ftyp"


def test_show_in_folder_without_a_file_manager_says_where_the_file_is(make_window, tmp_path, qtbot, tiny_project):
    from PySide6.QtWidgets import QApplication

    out = tmp_path / "shown" / "tiny.mp4"
    window, dialog = _draft_export(make_window, tiny_project, tmp_path, out)
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    opened = []
    dialog.open_url = lambda url: opened.append(url.toLocalFile()) or False  # a desktop with no file manager
    assert dialog.show_in_folder() is False
    assert opened == [str(out.parent)]
    assert str(out.parent) in dialog.eta.text() and QApplication.clipboard().text() == str(out.parent)
