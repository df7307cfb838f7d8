"""Adding, ordering and removing product images through the real product editor (offscreen)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import text

from backoffice import errors
from tests.gui.backoffice_fixtures import *  # the fixtures


def png(path, colour):
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def image_rows(store):
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT i.id, i.path, i.position FROM product_image i JOIN product p "
                                 "ON p.id = i.product_id WHERE p.sku = 'TJ-0000001' ORDER BY i.position")).all()


def open_editor(window, qtbot, bo_store):
    with bo_store.engine.connect() as conn:
        pid = conn.execute(text("SELECT id FROM product WHERE sku = 'TJ-0000001'")).scalar()
    from backoffice.tabs.product_editor import ProductEditor

    editor = ProductEditor(window.ctx, pid, window)
    qtbot.addWidget(editor)
    editor.show()
    settle(qtbot, window)
    return editor


def test_add_an_image_through_the_editor_then_reorder_and_remove(window, qtbot, bo_store, tmp_path,
                                                                 monkeypatch):
    box = open_editor(window, qtbot, bo_store).images
    folder = tmp_path / "images"  # beside backoffice.sqlite: the data folder
    assert box.folder == folder and box.add_button.isEnabled() and box.list.count() == 0
    red = png(tmp_path / "red.png", "red")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(red)], ""))
    box.add_button.click()
    settle(qtbot, window)
    assert errors.shown == []
    [(first_id, first_path, position)] = image_rows(bo_store)
    assert position == 0
    assert (folder / first_path).read_bytes() == red.read_bytes()
    assert box.list.count() == 1 and not box.list.item(0).icon().isNull()  # a thumbnail is shown

    box.add_files([str(png(tmp_path / "blue.png", "blue"))])
    settle(qtbot, window)
    second_id = image_rows(bo_store)[1][0]
    assert box.image_ids() == [first_id, second_id] and box.list.currentRow() == 1
    box.up_button.click()
    settle(qtbot, window)
    assert [r[0] for r in image_rows(bo_store)] == [second_id, first_id] == box.image_ids()

    box.list.setCurrentRow(0)
    box.remove_button.click()
    settle(qtbot, window)
    assert [r[0] for r in image_rows(bo_store)] == [first_id] == box.image_ids()
    assert sorted(p.name for p in (folder / first_path).parent.iterdir()) == [first_path.split("/")[1]]


def test_a_text_file_named_png_is_refused_in_the_editor(window, qtbot, bo_store, tmp_path):
    box = open_editor(window, qtbot, bo_store).images
    fake = tmp_path / "notes.png"
    fake.write_text("not a picture", encoding="utf-8")
    box.add_files([str(fake)])
    settle(qtbot, window)
    assert errors.shown[-1][1].startswith("image: notes.png is not a PNG, JPEG or WebP image")
    assert image_rows(bo_store) == [] and box.add_button.isEnabled()
    errors.close_all()


def test_a_new_product_has_no_image_buttons_until_saved(window, qtbot):
    tab = window.pages["products"]
    tab.new_button.click()
    settle(qtbot, window)
    box = tab.dialog.images
    assert not box.add_button.isEnabled() and not box.hint.isHidden()


def test_a_workstation_fetches_the_servers_copy_to_show_a_thumbnail(window, qtbot, bo_store, tmp_path):
    from backoffice.tabs.product_images import ImagesBox
    from core.commands.gateway import LocalGateway

    class ServerGateway(LocalGateway):  # the images live "at the server": beside its database
        remote = True

    box = open_editor(window, qtbot, bo_store).images
    box.add_files([str(png(tmp_path / "red.png", "red"))])
    settle(qtbot, window)
    [(image_id, path, _pos)] = image_rows(bo_store)
    window.ctx.gateway = ServerGateway(bo_store, "tester")
    window.ctx.images_dir = tmp_path / "workstation-images"  # this machine's own folder: empty
    remote_box = ImagesBox(window.ctx)
    qtbot.addWidget(remote_box)
    remote_box.set_product(box.product_id)
    settle(qtbot, window)
    settle(qtbot, window)
    assert remote_box.fetched == {image_id} and errors.shown == []
    assert (tmp_path / "workstation-images" / path).read_bytes() == (tmp_path / "images" / path).read_bytes()
    assert remote_box.list.count() == 1 and not remote_box.list.item(0).icon().isNull()
