"""Autosave and recovery after a crash, rolling backups, relinking a moved media folder."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studio.model import Project, load_project, save_project
from studio.ui.item_factory import missing_media
from studio.ui.project_files import AutosaveStore, backups_of, save_with_backup
from studio.ui.relink_dialog import RelinkDialog

# A Studio session in its own process: autosaves the project file argv[2] (belonging to argv[3],
# if given) into the recovery folder argv[1], says so, then lives until its stdin closes. It never
# clears its autosave, so however it ends it is a crash; its process id is real, so whether it
# counts as running is decided by the operating system, not by a mock.
AUTOSAVING_SESSION = """
import sys
from studio.model import load_project
from studio.ui.project_files import AutosaveStore
store = AutosaveStore(sys.argv[1])
print(store.save(load_project(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None), flush=True)
sys.stdin.read()
"""

# A session that starts up, recovers the one leftover autosave, and crashes straight away.
RECOVERING_SESSION = """
import sys
from studio.ui.project_files import AutosaveStore
store = AutosaveStore(sys.argv[1])
[leftover] = store.leftovers()
store.adopt(leftover)
print(store.file, flush=True)
"""


def start_session(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def crashed_session(script: str, *args) -> Path:
    """Run a session to its end (a crash: nothing cleared); the autosave file it reports."""
    session = start_session(script, *args)
    out, _ = session.communicate("", timeout=60)
    assert session.returncode == 0
    return Path(out.strip())


def crashed_autosave(folder: Path, project, original: Path | None, scratch: Path) -> Path:
    """The autosave of `project` that a session which has since died left in `folder`."""
    source = save_project(project, scratch / "to-autosave.studio")
    return crashed_session(AUTOSAVING_SESSION, folder, source, *([original] if original else []))


def test_autosave_and_recovery_after_crash(make_window, demo_project, settings, prompts, tmp_path):
    first = make_window(demo_project)
    first.actions_.add_text("neon", "unsaved work")
    assert first.autosave_now().exists()
    edited = first.document.project
    # the session that crashed with this work ran in another process, now dead
    recovery_file = crashed_autosave(settings.recovery_dir, edited, demo_project, tmp_path)
    second = make_window(demo_project)
    # the window above is still running: its autosave is not offered
    assert [r.file for r in second.autosave.leftovers()] == [recovery_file]
    prompts.answers["recover"] = "recover"
    assert second.offer_recovery()
    assert second.document.project == edited
    assert second.document.dirty and second.document.path == demo_project.resolve()
    second.document.undo_stack.undo()  # back to the saved file
    assert second.document.project == load_project(demo_project)


def test_recovered_work_is_this_windows_autosave_at_once(make_window, demo_project, settings, prompts,
                                                          tmp_path):
    edited = Project(name="recovered work")
    leftover = crashed_autosave(settings.recovery_dir, edited, None, tmp_path)
    window = make_window(demo_project)
    prompts.answers["recover"] = "recover"
    assert window.offer_recovery()
    # a crash in the next 30 s (before the timer's first autosave) must not lose it
    assert window.autosave.file.exists() and load_project(window.autosave.file) == edited
    assert not leftover.exists()
    window.document.undo_stack.undo()
    window.document.undo_stack.redo()
    assert window.save_as(tmp_path / "saved.studio")
    assert not window.autosave.file.exists()  # saved: nothing left to recover


def test_a_running_windows_autosave_is_not_offered_or_discarded(make_window, demo_project, prompts):
    running = make_window(demo_project)
    running.actions_.add_text("neon", "work in progress")
    autosave = running.autosave_now()
    second = make_window(demo_project)
    prompts.answers["recover"] = "discard"
    assert not second.offer_recovery()
    assert "recover" not in prompts.asked
    assert autosave.exists() and load_project(autosave) == running.document.project


def test_recovered_autosave_survives_a_crash_right_after_recovery(demo_project, tmp_path):
    folder = tmp_path / "recovery"
    edited = Project(name="work from the first crash")
    first = crashed_autosave(folder, edited, demo_project, tmp_path)
    adopted = crashed_session(RECOVERING_SESSION, folder)  # recovers it, then crashes
    assert adopted != first and not first.exists()
    [leftover] = AutosaveStore(folder).leftovers()
    assert leftover.file == adopted and leftover.original == demo_project
    assert leftover.load() == edited


def test_a_live_sessions_autosave_is_a_leftover_only_once_it_dies(demo_project, tmp_path):
    folder = tmp_path / "recovery"
    session = start_session(AUTOSAVING_SESSION, folder, demo_project)
    try:
        autosave = Path(session.stdout.readline().strip())
        assert autosave.exists()
        assert AutosaveStore(folder).leftovers() == []
    finally:
        session.kill()
        session.wait()
    [leftover] = AutosaveStore(folder).leftovers()
    assert leftover.file == autosave and leftover.load() == load_project(demo_project)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times come from /proc")
def test_autosave_whose_process_id_was_reused_is_offered(demo_project, tmp_path):
    store = AutosaveStore(tmp_path, "crashed")
    store.save(load_project(demo_project), demo_project)
    assert AutosaveStore(tmp_path).leftovers() == []  # its owner (this process) is running
    sidecar = store.file.with_suffix(".json")
    info = json.loads(sidecar.read_text(encoding="utf-8"))
    # the id is this live process's, but the process that wrote it started at another time
    sidecar.write_text(json.dumps({**info, "started": str(int(info["started"]) + 1)}), encoding="utf-8")
    assert [r.file for r in AutosaveStore(tmp_path).leftovers()] == [store.file]


def test_autosave_without_readable_owner_is_offered(demo_project, tmp_path):
    store = AutosaveStore(tmp_path, "live")
    store.save(load_project(demo_project), demo_project)
    crashed = AutosaveStore(tmp_path, "crashed")
    shutil.copy(store.file, crashed.file)  # a crash before its first sidecar was written
    assert [r.file for r in AutosaveStore(tmp_path).leftovers()] == [crashed.file]
    crashed.file.with_suffix(".json").write_text("{not json", encoding="utf-8")
    assert [r.file for r in AutosaveStore(tmp_path).leftovers()] == [crashed.file]


def test_autosave_timer_writes_only_when_dirty(window):
    assert window.autosave_now() is None
    window.actions_.add_sticker("fire")
    assert window.autosave_timer.interval() == 30000
    path = window.autosave_now()
    assert load_project(path) == window.document.project
    window.save()
    assert not path.exists()  # a save makes the recovery file pointless


def test_backups_keep_the_last_five(tmp_path, demo_project):
    project = load_project(demo_project)
    target = tmp_path / "p.studio"
    for i in range(8):
        save_with_backup(project.__class__(name=f"v{i}", timeline=project.timeline), target)
    backups = backups_of(target)
    assert len(backups) == 5
    assert [load_project(b).name for b in backups] == ["v6", "v5", "v4", "v3", "v2"]


def test_relink_moved_media_folder(make_window, demo_project, tmp_path, qtbot):
    moved = tmp_path / "moved-media"
    moved.mkdir()
    shutil.move(str(demo_project.parent / "demo_clip.mp4"), moved / "demo_clip.mp4")
    window = make_window(demo_project)
    assert missing_media(window.document.project) == [str(demo_project.parent / "demo_clip.mp4")]
    window.prompts.answers["relink"] = False
    window.check_missing_media()
    assert window.prompts.asked[-1] == "relink"
    dialog = window.open_relink()
    assert isinstance(dialog, RelinkDialog)
    assert dialog.search_folder(tmp_path) == 1
    dialog.apply()
    assert missing_media(window.document.project) == []
    assert window.document.project.timeline.get("clip-1").source == str(moved / "demo_clip.mp4")
    window.document.undo_stack.undo()
    assert missing_media(window.document.project) != []
    window.document.undo_stack.redo()
    assert window.save()
    assert load_project(demo_project).timeline.get("clip-1").source == str(moved / "demo_clip.mp4")


def test_unsaved_changes_prompt_can_cancel_close(window, prompts):
    window.actions_.add_text()
    prompts.answers["unsaved"] = "cancel"
    assert not window.close()
    assert window.isVisible() and prompts.asked == ["unsaved"]
