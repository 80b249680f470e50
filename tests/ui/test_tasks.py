"""The window's one way to run background work: reports, results and errors arrive on the UI
thread, in order, and a task counts as running until they have."""
import threading

from studio.ui.tasks import Tasks


def test_progress_then_result_on_the_ui_thread(qapp, qtbot):
    tasks = Tasks()
    seen = []
    main = threading.get_ident()

    def work(n, report):
        for k in range(n):
            report(k)
        return threading.get_ident()

    task = tasks.run(work, 5, report_as="report", on_progress=lambda v: seen.append((v, threading.get_ident())),
                     on_done=lambda ident: seen.append(("done", ident)))
    assert task.running and tasks.running
    qtbot.waitUntil(lambda: not tasks.running, timeout=5000)
    assert [v for v, _ in seen[:-1]] == [0, 1, 2, 3, 4]
    assert all(ident == main for _, ident in seen[:-1])  # handlers ran on the UI thread
    assert seen[-1][0] == "done" and seen[-1][1] != main  # the work ran on another
    assert not task.running


def test_an_error_reaches_on_failed_and_wait_all_delivers(qapp):
    tasks = Tasks()
    gate = threading.Event()
    errors, results = [], []

    def fail():
        gate.wait(5)
        raise OSError(28, "No space left on device")

    tasks.run(fail, on_failed=errors.append)
    tasks.run(lambda: 42, on_done=results.append)
    assert tasks.running
    gate.set()
    assert tasks.wait_all(timeout=5)
    assert results == [42] and isinstance(errors[0], OSError) and errors[0].errno == 28
    assert not tasks.running


def test_a_task_that_outlives_wait_is_still_running(qapp):
    tasks = Tasks()
    gate = threading.Event()
    task = tasks.run(gate.wait, 5)
    assert task.wait(timeout=0.05) is False and task.running
    gate.set()
    assert task.wait(timeout=5) is True and not task.running
