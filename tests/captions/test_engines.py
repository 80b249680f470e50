"""The engine chooser: pocketsphinx out of the box, whisper only when faster-whisper and its model
are there; every "cannot" is one line that says how to get the better engine."""
from __future__ import annotations

import pytest

from studio.captions import CaptionError, PocketsphinxEngine, WhisperEngine, choose_engine, engine_status
from studio.captions.engines import download_whisper_model, language_code


def test_without_a_whisper_model_auto_falls_back_to_pocketsphinx(tmp_path, monkeypatch):
    empty = tmp_path / "no-model-here"
    empty.mkdir()
    monkeypatch.setenv("STUDIO_WHISPER_MODEL", str(empty))
    problem = WhisperEngine().problem()
    assert f"no model at {empty}" in problem
    assert "--download-model" in problem and "\n" not in problem
    engine, note = choose_engine("auto", "en")
    assert isinstance(engine, PocketsphinxEngine)
    assert note.startswith("whisper not used: ") and str(empty) in note
    assert engine_status("en") == ("pocketsphinx", note)


def test_the_default_model_folder_is_in_the_user_data(private_user_data):
    engine = WhisperEngine()
    assert engine.model_dir == private_user_data / "models" / "faster-whisper-small"
    assert not engine.has_model()


def test_asking_for_whisper_without_it_is_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_WHISPER_MODEL", str(tmp_path / "missing"))
    with pytest.raises(CaptionError) as err:
        choose_engine("whisper", "en")
    message = str(err.value)
    assert message.startswith("whisper cannot run: ") and "\n" not in message
    assert f"no model at {tmp_path / 'missing'}" in message


def test_a_model_without_the_package_says_to_install_it(tmp_path):
    if WhisperEngine.installed():
        pytest.skip("faster-whisper is installed here")
    (tmp_path / "model.bin").write_bytes(b"not really a model")
    assert WhisperEngine(tmp_path).problem() == "faster-whisper is not installed (pip install faster-whisper)"


def test_pocketsphinx_is_english_only_and_says_what_to_do():
    assert PocketsphinxEngine().problem("en-US") is None
    with pytest.raises(CaptionError) as err:
        choose_engine("auto", "de")
    assert "English only" in str(err.value) and "faster-whisper" in str(err.value)
    with pytest.raises(CaptionError, match="language code"):
        language_code("not a language")
    assert language_code("English") == "en" and language_code("auto") is None


def test_unknown_engine_and_model_size_are_refused_without_any_download():
    with pytest.raises(CaptionError, match="choose one of auto, pocketsphinx, whisper"):
        choose_engine("vosk")
    with pytest.raises(CaptionError, match="choose one of tiny"):
        download_whisper_model("gigantic")
