"""The start screen: New / Open / From a template, and recent projects shown by their covers."""

from studio.ui.start_screen import StartScreen, act_on, render_cover


def test_recent_projects_show_rendered_covers_and_open(make_window, demo_project, settings, qtbot, tmp_path):
    window = make_window(demo_project)
    settings.add_recent(demo_project)
    missing = tmp_path / "gone.studio"
    settings.add_recent(demo_project)  # listed once
    screen = StartScreen(settings, window)
    qtbot.addWidget(screen)
    assert screen.recent.count() == 1 and not screen.empty.isVisible()
    item = screen.recent.item(0)
    qtbot.waitUntil(lambda: not item.icon().isNull(), timeout=30000)
    cover = render_cover(str(demo_project))
    assert cover is not None and cover.shape == (160, 90, 3) and cover.std() > 5   # a real picture
    assert render_cover(str(missing)) is None
    screen.recent.itemActivated.emit(item)
    assert screen.choice == ("recent", str(demo_project.resolve()))
    window.document.reset(window.document.project.__class__(name="other"), None)
    act_on(window, screen.choice)
    assert window.document.path == demo_project.resolve()


def test_new_project_from_the_start_screen(make_window, demo_project, settings, qtbot):
    window = make_window(demo_project)
    screen = StartScreen(settings, window)
    qtbot.addWidget(screen)
    screen.new_button.click()
    assert screen.choice == ("new", None)
    act_on(window, screen.choice)
    assert window.document.path is None and window.document.project.duration == 0
    screen.show_at_start.setChecked(False)
    assert settings.q.value("start/show", True, type=bool) is False
