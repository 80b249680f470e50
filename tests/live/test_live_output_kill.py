"""`kill -9` while streaming: the safety recording plays up to ~0.3 s before the kill."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from live_stream_media import video_packets

FPS = 30
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path[:0] = [sys.argv[3], sys.argv[4]]
    from live_stream_media import stream
    from studio.live import LiveOutput
    out = LiveOutput(sys.argv[1], sys.argv[2], size=(320, 240), fps=30, record=Path(sys.argv[5]))
    out.start()
    def told(i):
        print(i, flush=True)
    stream(out, size=(320, 240), fps=30, frames=600, after_frame=told)
""")


def test_killed_stream_leaves_a_playable_safety_recording(rtmp_server, tmp_path):
    key = secrets.token_hex(20)
    mkv = tmp_path / "safety.mkv"
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", CHILD, rtmp_server.url, key, str(root),
                              str(Path(__file__).parent), str(mkv)], stdout=subprocess.PIPE, text=True)
    try:
        for line in child.stdout:
            if int(line) == 2 * FPS:  # frame 60 (2 s) was handed over: kill it now
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait()
    packets = video_packets(mkv)
    last = packets[-1][0] - packets[0][0]
    print(f"safety recording after kill -9: {len(packets)} frames, up to {last:.3f} s of {2.0:.3f} s")
    assert packets[0][1] and last >= 2.0 - 0.3
