"""Library tabs can be searched by name and tag, favourites are marked from the right-click menu
and kept in the settings, and what was used shows under Recent."""
from PySide6.QtCore import Qt


def _ids(browser):
    return browser.visible_ids()


def test_search_favourites_and_recents(make_window, demo_project, qtbot):
    window = make_window(demo_project)
    effects = window.library_browsers["effects"]
    everything = _ids(effects)
    effects.search.setText("blur")
    found = _ids(effects)
    assert found and len(found) < len(everything)
    assert all("blur" in (window.library.effects.list.item(i).text() + window.library.effects.list.item(i).toolTip()
                          ).lower() for i in range(window.library.effects.list.count())
               if not window.library.effects.list.item(i).isHidden())
    effects.search.clear()
    assert _ids(effects) == everything
    # stickers are found by their tags too
    stickers = window.library_browsers["stickers"]
    stickers.search.setText("love")
    assert "heart_red" in _ids(stickers)
    stickers.search.clear()
    # ★ from the right-click menu; the Favourites view shows only favourites
    item = window.library.stickers.list.item(2)
    sticker_id = item.data(Qt.ItemDataRole.UserRole)
    menu = stickers.menu_for(item)
    [fav] = [a for a in menu.actions() if "favourites" in a.text()]
    fav.trigger()
    assert item.text().startswith("★ ")
    stickers.show_combo.setCurrentIndex(stickers.show_combo.findData("favourites"))
    assert _ids(stickers) == [sticker_id]
    # using an item (double-click) puts it under Recent
    looks = window.library_browsers["looks"]
    look_item = window.library.looks.list.item(1)
    window.document.select(["clip-1"])
    window.library.looks.list.itemDoubleClicked.emit(look_item)
    looks.show_combo.setCurrentIndex(looks.show_combo.findData("recent"))
    assert _ids(looks) == [look_item.data(Qt.ItemDataRole.UserRole)]
    window.close()
    # kept for the next session
    again = make_window(demo_project)
    browser = again.library_browsers["stickers"]
    browser.show_combo.setCurrentIndex(browser.show_combo.findData("favourites"))
    assert _ids(browser) == [sticker_id]


def test_sounds_keep_their_search_and_get_favourites(make_window, demo_project):
    window = make_window(demo_project)
    panel = window.library.sounds
    browser = window.library_browsers["sounds"]
    first = panel.list.item(0)
    sound_id = first.data(Qt.ItemDataRole.UserRole)
    [fav] = [a for a in browser.menu_for(first).actions() if "favourites" in a.text()]
    fav.trigger()
    assert panel.list.item(0).text().startswith("★ ")
    panel.search.setText(panel.list.item(0).text().split()[2][:4])   # part of its title: still listed, still starred
    listed = {panel.list.item(i).data(Qt.ItemDataRole.UserRole): panel.list.item(i).text()
              for i in range(panel.list.count())}
    assert listed[sound_id].startswith("★ ")
    panel.search.clear()
    browser.show_combo.setCurrentIndex(browser.show_combo.findData("favourites"))
    assert browser.visible_ids() == [sound_id]


def test_media_bin_search_favourites_and_recents(make_window, demo_project, tmp_path, clip_file):
    window = make_window(demo_project)
    media = window.library.media
    browser = window.library_browsers["media"]
    other = clip_file(tmp_path / "beach_sunset.mp4", seconds=1.0, size=(64, 64))
    media.add_path(other)
    browser.search.setText("beach")
    assert browser.visible_ids() == [str(other)]
    browser.search.clear()
    media.list.setCurrentItem(media.list.item(media.paths.index(other)))
    [fav] = [a for a in media.context_menu().actions() if "favourites" in a.text()]
    fav.trigger()
    browser.show_combo.setCurrentIndex(browser.show_combo.findData("favourites"))
    assert browser.visible_ids() == [str(other)]
    third = clip_file(tmp_path / "city.mp4", seconds=1.0, size=(64, 64))
    media.add_path(third)                                   # a new file follows the filter: not a favourite
    assert browser.visible_ids() == [str(other)]
    browser.show_combo.setCurrentIndex(browser.show_combo.findData("recent"))
    media.list.itemDoubleClicked.emit(media.list.item(media.paths.index(third)))
    assert browser.visible_ids() == [str(third)]
