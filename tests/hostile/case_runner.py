"""Runs hostile `studio` command lines, each in a forked child of one warmed-up interpreter.

    python case_runner.py CASES.json RESULTS.json

A case is {"id", "argv", "cwd", "watch"}; the child runs `studio.cli.main(argv)` with its stdout and
stderr in files, exactly as the `studio` command would (an uncaught exception prints a traceback
and exits 1). Forking after the imports makes a case cost what its own work costs, not an
interpreter start. Per case the parent records the exit code, both outputs, the child's peak
resident memory (ru_maxrss from wait4) and every change under the `watch` folder; a child that
passes the memory ceiling or the time limit is killed and reported as such."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback


def snapshot(root: str) -> dict[str, list]:
    """path -> [kind, size, mtime_ns, inode] for everything under root (no hashing: fast, and any
    write changes mtime or size)."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            # a folder's own times change with the runner's output files: only what is in it counts
            out[os.path.relpath(path, root)] = [st.st_mode >> 12] if os.path.isdir(path) and not \
                os.path.islink(path) else [st.st_mode >> 12, st.st_size, st.st_mtime_ns, st.st_ino]
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_case(case: dict, ceiling_kb: int, limit_s: float) -> dict:
    out_path = os.path.join(case["cwd"], ".stdout")
    err_path = os.path.join(case["cwd"], ".stderr")
    before = snapshot(case["watch"])
    pid = os.fork()
    if pid == 0:  # the child: behave exactly like `studio ARGV`
        code = 1
        try:
            os.chdir(case["cwd"])
            fd_out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            fd_err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd_out, 1)
            os.dup2(fd_err, 2)
            from studio.cli import main
            code = main(case["argv"])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 1)
    started = time.monotonic()
    killed = None
    peak_seen = 0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        rss = _rss_kb(pid)
        peak_seen = max(peak_seen, rss)
        if rss > ceiling_kb:
            killed = f"memory above {ceiling_kb // 1024} MB"
        elif time.monotonic() - started > limit_s:
            killed = f"still running after {limit_s:.0f} s"
        if killed:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.01)
    code = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    os.unlink(out_path)
    os.unlink(err_path)
    after = snapshot(case["watch"])
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {"id": case["id"], "code": code, "stdout": stdout, "stderr": stderr, "killed": killed,
            "peak_mb": max(usage.ru_maxrss, peak_seen) / 1024, "seconds": round(time.monotonic() - started, 2),
            "changed": changed}


def main() -> int:
    cases_file, results_file = sys.argv[1], sys.argv[2]
    with open(cases_file, encoding="utf-8") as f:
        spec = json.load(f)
    # Warm up: what every case needs, imported once before the forks (no threads are started yet)
    import av  # noqa: F401
    import cv2  # noqa: F401
    import numpy  # noqa: F401
    import studio.cli  # noqa: F401
    import studio.render.export  # noqa: F401
    import studio.render.preflight  # noqa: F401
    import studio.quick  # noqa: F401
    results = [run_case(case, spec["ceiling_mb"] * 1024, spec["limit_s"]) for case in spec["cases"]]
    with open(results_file, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
