"""`studio live` with a user's mistakes: one line on stderr naming it, exit 3, before anything
connects, and never the key."""
import numpy as np
import pytest

from stream_media import tone, write_av_clip
from studio.cli import main

KEY = "cli-secret-key-0123456789"


@pytest.fixture
def camera(tmp_path):
    return write_av_clip(tmp_path / "cam.mp4", lambda k: np.full((64, 36, 3), 90, np.uint8), 15, tone(0.5))


@pytest.mark.parametrize("extra, expected", [
    (["--effect", "nosuch"], "unknown effect 'nosuch'"),
    (["--effect", "beauty:amount=9"], "unknown param 'amount'"),
    (["--record", "show.mov"], "name it *.mp4"),
    (["--sticker", "no-such-sticker"], "no-such-sticker"),
])
def test_mistakes_are_one_line_before_connecting(camera, tmp_path, monkeypatch, capsys, extra, expected):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIVE_KEY", KEY)
    from rtmp_server import free_port

    code = main(["live", "--camera", str(camera), "--url", f"rtmp://127.0.0.1:{free_port()}/live",
                 "--key-env", "LIVE_KEY", *extra])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("studio: error:")]
    assert code == 3 and len(lines) == 1 and expected in lines[0], err
    assert "refused" not in err and KEY not in err  # said before any connection was tried
    assert "Traceback" not in err


def test_no_key_and_a_bad_address(camera, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["live", "--camera", str(camera), "--url", "rtmp://127.0.0.1:9/live", "--key-env", "UNSET_KEY"]) == 3
    assert "holds no stream key" in capsys.readouterr().err
    monkeypatch.setenv("LIVE_KEY", KEY)
    assert main(["live", "--camera", str(camera), "--url", "http://example.com/live", "--key-env", "LIVE_KEY"]) == 3
    err = capsys.readouterr().err
    assert "must start with rtmp://, rtmps:// or srt://" in err and KEY not in err
    assert main(["live", "--camera", str(camera), "--key-env", "LIVE_KEY"]) == 3
    assert "give the ingest address with --url" in capsys.readouterr().err
