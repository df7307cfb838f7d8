"""Back-office flows driven through the real window (offscreen): variant matrix, bulk price change
with preview, product editor errors, CSV import/export with progress, resolving a stock exception.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import text

from backoffice import errors
from core.catalog.barcodes import ean13_with_check
from core.quantity import format_qty
from tests.gui.backoffice_fixtures import *  # the fixtures


def rows(store, sql, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_tabs_and_status_bar(window, qtbot):
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Products", "Prices", "Stock", "Orders", "Customers", "Purchasing", "Stock value", "Ledger", "Settings"]
    assert window.sync_label.text() == "Local database (not connected to a server)"
    assert window.pages["products"].model.rowCount() == 200  # the first page only


def test_create_a_variant_matrix_then_edit_an_ean_in_the_grid(window, qtbot, bo_store):
    tab = window.pages["products"]
    tab.matrix_button.click()
    dialog = tab.dialog
    settle(qtbot, window)
    QTest.keyClicks(dialog.parent_sku, "MOSS")
    dialog.name_sv.setText("Mössa")  # QTest types ASCII only
    dialog.attr_names[0].setText("Färg")
    dialog.attr_values[0].setText("Röd, Grön, Blå")
    QTest.keyClicks(dialog.attr_names[1], "Storlek")
    QTest.keyClicks(dialog.attr_values[1], "S, M")
    QTest.keyClicks(dialog.price, "199")
    assert dialog.preview.text().startswith("Will create 6 variants: MOSS-ROD-S, MOSS-ROD-M")
    dialog.create_button.click()
    settle(qtbot, window)
    assert not dialog.isVisible() and errors.shown == []
    made = rows(bo_store, "SELECT p.sku, i.price FROM product p JOIN price_list_item i ON i.product_id = p.id "
                          "AND i.price_list_id = 1 WHERE p.sku LIKE 'MOSS-%' ORDER BY p.id")
    assert [r[0] for r in made] == ["MOSS-ROD-S", "MOSS-ROD-M", "MOSS-GRON-S", "MOSS-GRON-M", "MOSS-BLA-S",
                                    "MOSS-BLA-M"]
    assert {r[1] for r in made} == {19900}
    grid = tab.dialog  # the matrix opens in the grid
    settle(qtbot, window)
    assert grid.objectName() == "variantGrid" and grid.model.rowCount() == 6
    assert (grid.stock.rowCount(), grid.stock.columnCount()) == (3, 2)
    ean = ean13_with_check("735000000099")
    assert grid.model.setData(grid.model.index(0, grid.model.keys.index("ean")), ean)
    settle(qtbot, window)
    assert rows(bo_store, "SELECT p.sku FROM barcode b JOIN product p ON p.id = b.product_id WHERE b.code = :c",
                c=ean) == [("MOSS-ROD-S",)]
    # the products list was told and reloaded: the new parent is there
    tab.search.setText("MOSS")
    tab.apply_filter()
    settle(qtbot, window)
    assert tab.model.rowCount() == 7


def test_a_matrix_with_taken_skus_shows_the_error_and_writes_nothing(window, qtbot, bo_store):
    tab = window.pages["products"]
    tab.matrix_button.click()
    dialog = tab.dialog
    settle(qtbot, window)
    dialog.parent_sku.setText("KL-0000080-SVART")  # free, but its variant SKU is taken
    dialog.name_sv.setText("Tröja")
    dialog.attr_names[0].setText("Storlek")
    dialog.attr_values[0].setText("S")
    before = rows(bo_store, "SELECT count(*) FROM product")
    dialog.create_button.click()
    settle(qtbot, window)
    assert dialog.isVisible() and errors.shown[-1][1].startswith("sku: SKU KL-0000080-SVART-S already exists")
    assert rows(bo_store, "SELECT count(*) FROM product") == before
    errors.close_all()


def test_bulk_price_change_previews_then_applies_exactly_that(window, qtbot, bo_store):
    window.tabs.setCurrentIndex(1)
    tab = window.pages["prices"]
    settle(qtbot, window)
    assert tab.list_note.text() == "SEK, prices include VAT"
    books = rows(bo_store, "SELECT id FROM category WHERE code = 'BOCKER'")[0][0]
    tab.category.setCurrentIndex(tab.category.findData(books))
    settle(qtbot, window)
    before = dict(rows(bo_store, "SELECT i.id, i.price FROM price_list_item i JOIN product p ON p.id = i.product_id "
                                 "WHERE i.price_list_id = 1 AND p.category_id = :c AND NOT i.campaign", c=books))
    tab.bulk_button.click()
    dialog = tab.dialog
    dialog.value.setText("10")
    dialog.round_krona.setChecked(True)
    assert not dialog.apply_button.isEnabled()
    dialog.preview_button.click()
    settle(qtbot, window)
    assert dialog.table.rowCount() == len(before) > 0
    # +10 %, rounded half up straight to whole kronor (e.g. 149,00 → 163,90 → 164,00)
    assert all(d.new == (d.old * 11 + 500) // 1000 * 100 for d in dialog.deltas)
    assert dialog.table.item(0, 0).text().startswith("BOK-")
    ids = ",".join(map(str, before))
    assert dict(rows(bo_store, f"SELECT id, price FROM price_list_item WHERE id IN ({ids})")) == before  # a preview writes nothing
    assert dialog.apply_button.isEnabled()
    dialog.apply_button.click()
    settle(qtbot, window)
    after = dict(rows(bo_store, "SELECT i.product_id, i.price FROM price_list_item i JOIN product p "
                                "ON p.id = i.product_id WHERE i.price_list_id = 1 AND p.category_id = :c "
                                "AND NOT i.campaign", c=books))
    assert after == {d.product_id: d.new for d in dialog.deltas}
    assert all(price % 100 == 0 for price in after.values())
    history = rows(bo_store, "SELECT count(*) FROM price_change WHERE price_list_id = 1 AND changed_by = 'tester'")
    assert history[0][0] == sum(1 for d in dialog.deltas if d.new != d.old)
    assert tab.history.rowCount() > 0  # the tab reloaded its history after the announcement


def test_product_editor_saves_and_refuses_a_taken_sku_naming_the_field(window, qtbot, bo_store):
    tab = window.pages["products"]
    tab.new_button.click()
    editor = tab.dialog
    settle(qtbot, window)
    editor.sku.setText("TJ-0000001")
    editor.name_sv.setText("Dubblett")
    editor.save_button.click()
    settle(qtbot, window)
    assert editor.isVisible() and errors.shown[-1][1].startswith("sku: SKU TJ-0000001 is already used")
    errors.close_all()
    editor.sku.setText("NY-1")
    QTest.keyClicks(editor.new_barcode, ean13_with_check("735000000050"))  # a scanner: digits, then Enter
    QTest.keyClick(editor.new_barcode, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert editor.isVisible() and editor.barcode_list() == [ean13_with_check("735000000050")]  # added, not saved
    assert rows(bo_store, "SELECT count(*) FROM product WHERE sku = 'NY-1'") == [(0,)]
    editor.save_button.click()
    settle(qtbot, window)
    assert not editor.isVisible()
    assert rows(bo_store, "SELECT p.name_sv, b.code FROM product p JOIN barcode b ON b.product_id = p.id "
                          "WHERE p.sku = 'NY-1'") == [("Dubblett", ean13_with_check("735000000050"))]


def test_csv_import_with_a_bad_row_imports_nothing_and_lists_the_row(window, qtbot, bo_store, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("sku,name_sv,price,barcodes\nNY-A,Ny A,49,\nNY-B,Ny B,fel,\n", encoding="utf-8")
    tab = window.pages["products"]
    tab.import_button.click()
    dialog = tab.dialog
    dialog.path.setText(str(path))
    dialog.go.click()
    settle(qtbot, window)
    assert dialog.report is not None and not dialog.report.committed
    assert dialog.errors.rowCount() == 1 and dialog.errors.item(0, 0).text() == "3"
    assert dialog.errors.item(0, 1).text() == "price"
    assert rows(bo_store, "SELECT count(*) FROM product WHERE sku LIKE 'NY-%'") == [(0,)]
    dialog.skip_bad.setChecked(True)
    dialog.go.click()
    settle(qtbot, window)
    assert dialog.report.committed and dialog.report.created == 1
    assert dialog.progress.value() == dialog.progress.maximum()
    assert rows(bo_store, "SELECT sku FROM product WHERE sku LIKE 'NY-%'") == [("NY-A",)]


def test_csv_export_writes_every_product(window, qtbot, tmp_path):
    tab = window.pages["products"]
    settle(qtbot, window)
    tab.export_button.click()
    dialog = tab.dialog
    out = tmp_path / "out.csv"
    dialog.path.setText(str(out))
    dialog.go.click()
    settle(qtbot, window)
    assert dialog.rows == 300
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 301 and lines[0].startswith("sku,name_sv")
    assert dialog.progress.value() == dialog.progress.maximum() == 300


def test_resolve_a_stock_exception_from_the_stock_tab(window, qtbot, bo_store):
    from core.inventory import MovementIn, record_movements

    with bo_store.write() as s:
        record_movements(s, [MovementIn(20, 1, -999_000, "sale", "receipt", "R-9", "r9:1")])
        s.commit()
    window.ctx.changed.emit("stock")
    window.tabs.setCurrentIndex(2)
    tab = window.pages["stock"]
    settle(qtbot, window)
    assert tab.pages.tabText(1) == "Exceptions (1)"
    assert tab.exceptions.item(0, 4).text() == "receipt R-9"
    tab.exceptions.selectRow(0)
    tab.note.setText("counted")
    tab.resolve_button.click()
    settle(qtbot, window)
    assert tab.pages.tabText(1) == "Exceptions (0)"
    assert rows(bo_store, "SELECT resolved_by, note FROM stock_exception") == [("tester", "counted")]


def test_swedish_labels(qtbot, bo_store):
    from backoffice.app import open_window
    from tests.gui.backoffice_fixtures import settle as wait

    w = open_window(bo_store, lang="sv")
    qtbot.addWidget(w)
    wait(qtbot, w)
    try:
        assert [w.tabs.tabText(i) for i in range(3)] == ["Artiklar", "Priser", "Lager"]
        model = w.pages["products"].model
        assert model.headerData(0, Qt.Orientation.Horizontal) == "Artikelnr"
    finally:
        w.close()
        w.ctx.shutdown()
        from backoffice import i18n
        i18n.install("en")


def test_receive_a_purchase_order_in_two_parts_typed_then_scanned(window, qtbot, bo_store):
    tab = window.pages["purchasing"]
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    sku, pid = rows(bo_store, "SELECT sku, id FROM product WHERE sku = 'LV-0000009'")[0]
    code = rows(bo_store, "SELECT code FROM barcode WHERE product_id = :p", p=pid)[0][0]
    on_hand = rows(bo_store, "SELECT on_hand FROM stock_level WHERE product_id = :p AND location_id = 3", p=pid)[0][0]
    tab.buttons["new"].click()
    new = tab.dialog
    new.supplier.setCurrentIndex(new.supplier.findData(2))
    new.location.setCurrentIndex(new.location.findData(3))
    new.lines.setPlainText(f"{sku} 10 100")
    new.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not new.isVisible()
    po = tab.selected()
    assert (po.status, po.total, po.location) == ("draft", 100000, "LAGER")
    assert tab.lines.item(0, 1).text() == sku and tab.lines.item(0, 5).text() == "10"
    tab.buttons["send"].click()
    settle(qtbot, window)
    assert tab.selected().status == "sent" and tab.buttons["receive"].isEnabled()

    tab.buttons["receive"].click()
    receive = tab.dialog
    settle(qtbot, window)
    receive.set_qty(0, 12_000)  # more than ordered: refused, nothing changes
    receive.submit()
    settle(qtbot, window)
    assert receive.isVisible() and "still owed" in errors.shown[-1][1]
    errors.close_all()
    receive.set_qty(0, 4000)
    receive.submit()
    settle(qtbot, window)
    assert not receive.isVisible()
    assert tab.selected().status == "partly_received"

    tab.buttons["receive"].click()
    receive = tab.dialog
    settle(qtbot, window)
    for _ in range(6):  # the scanner types the code and Enter
        receive.scan.setText(code)
        QTest.keyClick(receive.scan, Qt.Key.Key_Return)
    assert receive.table.item(0, receive.QTY).text() == "6"
    receive.table.item(0, receive.PRICE).setText("130,00")
    receive.submit()
    settle(qtbot, window)
    assert tab.selected() is None or tab.selected().id != po.id  # received: no longer "open"
    assert rows(bo_store, "SELECT status FROM purchase_order WHERE id = :i", i=po.id) == [("received",)]
    assert rows(bo_store, "SELECT received_qty FROM purchase_order_line WHERE po_id = :i", i=po.id) == [(10_000,)]
    assert rows(bo_store, "SELECT on_hand FROM stock_level WHERE product_id = :p AND location_id = 3",
                p=pid) == [(on_hand + 10_000,)]
    moves = rows(bo_store, "SELECT qty FROM stock_movement WHERE product_id = :p AND reason = 'purchase_receipt' "
                           "ORDER BY id", p=pid)
    assert moves == [(4000,), (6000,)]


def level_of(store, pid, loc):
    found = rows(store, "SELECT on_hand FROM stock_level WHERE product_id = :p AND location_id = :l", p=pid, l=loc)
    return found[0][0] if found else 0


def test_transfer_sent_then_received_in_part_then_closed(window, qtbot, bo_store):
    tab = window.pages["stock"]
    window.tabs.setCurrentWidget(tab)
    page = tab.transfers
    tab.pages.setCurrentWidget(page)
    settle(qtbot, window)
    pid, have = rows(bo_store, "SELECT product_id, on_hand FROM stock_level WHERE location_id = 3 "
                               "AND on_hand >= 10000 ORDER BY product_id LIMIT 1")[0]
    sku = rows(bo_store, "SELECT sku FROM product WHERE id = :p", p=pid)[0][0]
    at_store = level_of(bo_store, pid, 1)
    page.from_loc.setCurrentIndex(page.from_loc.findData(3))
    page.to_loc.setCurrentIndex(page.to_loc.findData(1))
    page.new_lines.setPlainText(f"{sku} 10")
    page.buttons["create"].click()
    settle(qtbot, window)
    assert page.selected().status == "draft"
    page.buttons["send"].click()
    settle(qtbot, window)
    assert page.selected().status == "in_transit" and level_of(bo_store, pid, 3) == have - 10_000
    page.lines.item(0, 5).setText("6")
    page.buttons["receive"].click()
    settle(qtbot, window)
    assert page.selected().status == "partly_received" and level_of(bo_store, pid, 1) == at_store + 6000
    assert page.lines.item(0, 4).text() == "4"  # still in transit
    page.buttons["close"].click()
    settle(qtbot, window)
    assert page.selected().status == "closed" and level_of(bo_store, pid, 1) == at_store + 6000


def test_count_by_scanning_shows_variances_then_posts_adjustments(window, qtbot, bo_store):
    tab = window.pages["stock"]
    window.tabs.setCurrentWidget(tab)
    page = tab.counts
    tab.pages.setCurrentWidget(page)
    settle(qtbot, window)
    books = rows(bo_store, "SELECT id FROM category WHERE code = 'BOCKER'")[0][0]
    page.location.setCurrentIndex(page.location.findData(1))
    page.category.setCurrentIndex(page.category.findData(books))
    page.create_button.click()
    settle(qtbot, window)
    head = page.selected()
    assert (head.location, head.scope, head.status) == ("STHLM", "partial", "open")
    pid = rows(bo_store, "SELECT l.product_id FROM stock_count_line l JOIN product p ON p.id = l.product_id "
                         "WHERE l.count_id = :c ORDER BY p.sku LIMIT 1", c=head.id)[0][0]
    code = rows(bo_store, "SELECT code FROM barcode WHERE product_id = :p", p=pid)[0][0]
    before = level_of(bo_store, pid, 1)
    for _ in range(3):  # three scans: three counted
        QTest.keyClicks(page.code, code)
        QTest.keyClick(page.code, Qt.Key.Key_Return)
        settle(qtbot, window)
    page.qty.setText("-1")  # a negative count is refused
    page.code.setText(code)
    page.enter()
    settle(qtbot, window)
    assert "negative" in errors.shown[-1][1]
    errors.close_all()
    assert page.rows_table.item(0, 3).text() == "3"
    assert page.rows_table.item(0, 4).text() == format_qty(3000 - before)
    assert page.summary.text().startswith("1 counted")
    page.post_button.click()
    settle(qtbot, window)
    assert page.selected().status == "posted" and level_of(bo_store, pid, 1) == 3000
    assert rows(bo_store, "SELECT qty, source_type FROM stock_movement WHERE reason = 'count'") == [
        (3000 - before, "stock_count")]


def test_campaign_price_with_dates_and_a_bad_date_refused(window, qtbot, bo_store):
    window.tabs.setCurrentIndex(1)
    tab = window.pages["prices"]
    settle(qtbot, window)
    tab.open_set(None)
    dialog = tab.dialog
    dialog.sku.setText("TJ-0000003")
    dialog.price.setText("49,00")
    dialog.valid_from.setText("2026-12-01")
    dialog.valid_to.setText("2026-12-24")
    dialog.campaign.setChecked(True)
    dialog.submit()
    settle(qtbot, window)
    assert not dialog.isVisible()
    assert rows(bo_store, "SELECT price, valid_from, valid_to, campaign FROM price_list_item WHERE price_list_id = 1 "
                          "AND product_id = 3 AND campaign") == [(4900, "2026-12-01", "2026-12-24", 1)]
    tab.search.setText("TJ-0000003")
    tab.apply_filter()
    settle(qtbot, window)
    shown = [[tab.model.data(tab.model.index(r, c)) for c in range(tab.model.columnCount())]
             for r in range(tab.model.rowCount())]
    assert shown == [["TJ-0000003", "Home delivery", "1", "69,00", "", "", ""],
                     ["TJ-0000003", "Home delivery", "1", "49,00", "2026-12-01", "2026-12-24", "campaign"]]
    tab.open_set(None)
    dialog = tab.dialog
    dialog.sku.setText("TJ-0000003")
    dialog.price.setText("39")
    dialog.valid_from.setText("24/12")
    dialog.submit()
    assert dialog.isVisible() and errors.shown[-1][1].startswith("valid_from: '24/12' is not a date")
    errors.close_all()


def test_set_article_components_are_saved_by_command_and_a_loop_is_refused(window, qtbot, bo_store):
    from backoffice.tabs.bundle_editor import BundleEditor
    bundle, sku = rows(bo_store, "SELECT id, sku FROM product WHERE product_type = 'bundle' ORDER BY id LIMIT 1")[0]
    part = rows(bo_store, "SELECT sku FROM product WHERE stocked AND product_type = 'single' ORDER BY id LIMIT 1")[0][0]
    editor = BundleEditor(window.ctx, bundle, sku, window)
    qtbot.addWidget(editor)
    editor.show()
    settle(qtbot, window)
    editor.table.setRowCount(0)
    editor.ids = []
    editor.sku.setText(part)
    editor.qty.setText("2")
    editor.add_component()
    settle(qtbot, window)
    editor.submit()
    settle(qtbot, window)
    assert errors.shown == []
    assert rows(bo_store, "SELECT p.sku, b.qty FROM bundle_component b JOIN product p ON p.id = b.component_id "
                          "WHERE b.bundle_id = :b", b=bundle) == [(part, 2000)]
    assert editor.table.rowCount() == 1 and editor.availability.text().startswith("Sets available")
    editor.sku.setText(sku)  # the SET article itself
    editor.qty.setText("1")
    editor.add_component()
    settle(qtbot, window)
    editor.submit()
    settle(qtbot, window)
    assert errors.shown[-1][1].startswith("component_id:") and "itself" in errors.shown[-1][1]
    assert rows(bo_store, "SELECT count(*) FROM bundle_component WHERE bundle_id = :b", b=bundle) == [(1,)]
    errors.close_all()
