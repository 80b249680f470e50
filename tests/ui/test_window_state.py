"""The window remembers its size and panel splits, never opens larger than its screen, and shows
whether the project is saved."""
from studio.ui import window_state


def test_size_and_splits_are_remembered_and_fit_the_screen(make_window, demo_project, settings):
    window = make_window(demo_project)
    area = window.screen().availableGeometry()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert window.minimumSizeHint().width() <= 760      # fits a 1280-wide screen at 150 %, with room
    assert window.minimumSizeHint().height() <= 530     # and a 1080p screen at 200 % (540 logical px high)
    window.resize(770, 640)
    window.top_splitter.setSizes([150, 300, 170])
    sizes = window.top_splitter.sizes()
    window.close()
    again = make_window(demo_project)
    assert (again.width(), again.height()) == (770, 640)
    assert again.top_splitter.sizes() == sizes
    again.resize(area.width() * 3, area.height() * 3)
    window_state.fit_to_screen(again)
    assert again.width() <= area.width() and again.height() <= area.height()


def test_saved_state_is_visible(make_window, demo_project, tmp_path):
    window = make_window(demo_project)
    assert window.title_label.text().endswith("✓ Saved")
    window.document.set_playhead(10)
    window.acts["add_text"].trigger()
    assert window.title_label.text().startswith("● ")
    assert window.save_as(tmp_path / "again.studio")
    assert window.title_label.text() == "again.studio  ✓ Saved"


def test_takes_and_new_projects_go_to_the_visible_projects_folder(make_window, demo_project, settings, prompts):
    from studio.model import Project

    window = make_window(demo_project)
    window.document.reset(Project(name="My short"), None)
    assert window._takes_dir() == settings.projects_dir / "Takes"
    asked = []
    prompts.save_path = lambda suggested: asked.append(suggested) or ""
    assert not window.save_as()
    assert asked == [str(settings.projects_dir / "My_short.studio")] and settings.projects_dir.is_dir()
