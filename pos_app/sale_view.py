"""The sale screen: cart on the left, search / categories / favourites on the right, actions below."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.quantity import ONE
from pos_app import catalog
from pos_app.controller import Ctx
from pos_app.dialogs import DiscountDialog, NumberDialog
from pos_app.i18n import tr
from pos_app.models import CartModel, ItemsModel, money
from pos_app.sale_dialogs import CustomerDialog, ParkedDialog, ReturnDialog, VariantDialog
from pos_app.session import CartSnapshot
from pos_app.widgets import TouchButton, selected_row, title_label, touch_table

TILE_COLUMNS = 3


class SalePage(QWidget):
    def __init__(self, ctx: Ctx, on_pay: Callable[[], None], on_menu: Callable[[], None]):
        super().__init__()
        self.ctx, self.on_pay = ctx, on_pay
        self.items_model = ItemsModel(self)
        self.cart_model = CartModel(self)
        self.tiles: list[TouchButton] = []
        self.category_buttons: dict[int | None, TouchButton] = {}
        outer = QHBoxLayout(self)

        # --- left: the cart ----------------------------------------------------------------------
        left = QVBoxLayout()
        self.customer_label = QLabel()
        self.customer_label.setProperty("role", "note")
        left.addWidget(self.customer_label)
        self.cart_view = touch_table(self.cart_model, self)
        self.cart_view.setObjectName("cart")
        left.addWidget(self.cart_view, 1)
        self.total_label = title_label("", "total")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        left.addWidget(self.total_label)
        line_row = QGridLayout()
        self.buttons: dict[str, TouchButton] = {}
        line_actions = [("qty", tr("Qty / weight"), self.change_qty),
                        ("line_discount", tr("Line discount"), self.line_discount),
                        ("override", tr("Price (manager)"), self.override_price),
                        ("void", tr("Remove (manager)"), self.void_line),
                        ("receipt_discount", tr("Receipt discount"), self.receipt_discount),
                        ("customer", tr("Customer"), self.customer),
                        ("park", tr("Park"), self.park), ("recall", tr("Parked sales"), self.show_parked),
                        ("return", tr("Return"), self.returns), ("clear", tr("Clear"), self.clear)]
        for i, (key, label, handler) in enumerate(line_actions):
            b = TouchButton(label, role="danger" if key == "clear" else "action", on_click=handler, wrap=9)
            self.buttons[key] = b
            line_row.addWidget(b, i // 5, i % 5)
        left.addLayout(line_row)
        outer.addLayout(left, 11)

        # --- right: find articles ----------------------------------------------------------------
        right = QVBoxLayout()
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setProperty("role", "big")
        self.search.setPlaceholderText(tr("Search articles or scan…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=180, timeout=self.run_search)
        self.search.textChanged.connect(self._search_changed)
        top.addWidget(self.search, 4)
        self.buttons["menu"] = TouchButton(tr("Menu"), on_click=on_menu)
        top.addWidget(self.buttons["menu"], 1)
        right.addLayout(top)
        self.category_row = QGridLayout()
        right.addLayout(self.category_row)
        self.stack = QStackedWidget()
        self.tile_area = QScrollArea()
        self.tile_area.setWidgetResizable(True)
        QScroller.grabGesture(self.tile_area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.tile_host = QWidget()
        self.tile_grid = QGridLayout(self.tile_host)
        self.tile_area.setWidget(self.tile_host)
        self.results = touch_table(self.items_model, self)
        self.results.setObjectName("results")
        self.results.clicked.connect(lambda index: self.pick(self.items_model.row(index.row())))
        self.stack.addWidget(self.tile_area)
        self.stack.addWidget(self.results)
        right.addWidget(self.stack, 1)
        self.buttons["pay"] = TouchButton(tr("PAY"), role="pay", on_click=self.pay)
        self.buttons["pay"].setMinimumHeight(84)
        right.addWidget(self.buttons["pay"])
        outer.addLayout(right, 9)
        ctx.cart_changed.connect(self.show_cart)
        self.show_cart(ctx.cart)

    # --- catalogue ---------------------------------------------------------------------------------

    def load_catalogue(self) -> None:
        store, favs = self.ctx.session.store, self.ctx.session.settings.favourites
        self.ctx.do(lambda: (catalog.categories(store), catalog.favourites(store, favs)), self._show_catalogue)

    def _show_catalogue(self, result) -> None:
        cats, favourites = result
        for b in self.category_buttons.values():
            b.deleteLater()
        self.category_buttons.clear()
        tops = [c for c in cats if c.parent_id is None]
        entries = [(None, "★ " + tr("Favourites"))] + [(c.id, c.name) for c in tops]
        per_row = max(1, (len(entries) + 1) // 2)
        for i, (cid, name) in enumerate(entries):
            b = TouchButton(name, role="category", on_click=lambda c=cid: self.show_category(c))
            b.setCheckable(True)
            self.category_buttons[cid] = b
            self.category_row.addWidget(b, i // per_row, i % per_row)
        self._favourites = favourites
        self.show_category(None)

    def show_category(self, category_id: int | None) -> None:
        for cid, b in self.category_buttons.items():
            b.setChecked(cid == category_id)
        if category_id is None:
            self.show_tiles(getattr(self, "_favourites", []))
        else:
            store = self.ctx.session.store
            self.ctx.do(lambda: catalog.in_category(store, category_id), self.show_tiles)

    def show_tiles(self, items: list[catalog.Item]) -> None:
        for t in self.tiles:
            t.deleteLater()
        self.tiles = []
        for i, item in enumerate(items):
            t = TouchButton(item.name + (" ▸" if item.is_parent else ""), role="tile",
                            on_click=lambda it=item: self.pick(it))
            t.setMinimumHeight(72)
            t.setToolTip(item.sku)
            self.tile_grid.addWidget(t, i // TILE_COLUMNS, i % TILE_COLUMNS)
            self.tiles.append(t)
        self.stack.setCurrentWidget(self.tile_area)

    def _search_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.stack.setCurrentWidget(self.tile_area)

    def run_search(self) -> None:
        text, store = self.search.text(), self.ctx.session.store
        if not text.strip():
            return

        def show(items) -> None:
            if self.search.text() == text:  # a newer search is on its way otherwise
                self.items_model.set_items(items)
                self.stack.setCurrentWidget(self.results)

        self.ctx.do(lambda: catalog.search(store, text), show)

    # --- adding lines ------------------------------------------------------------------------------

    def pick(self, item: catalog.Item) -> None:
        session = self.ctx.session
        if item.is_parent:
            location = session.register.location_id
            self.ctx.do(lambda: catalog.variant_choice(session.store, item.id, location),
                        lambda choice: self.open_variants(item, choice))
        elif item.by_weight:
            NumberDialog(self, tr("Weight (kg)") + f" — {item.name}",
                         lambda qty: self.add(item.id, qty), kind="qty").open()
        else:
            self.add(item.id)

    def open_variants(self, item: catalog.Item, choice: catalog.VariantChoice) -> None:
        self.variant_dialog = VariantDialog(self, item.name, choice, self.add)
        self.variant_dialog.open()

    def add(self, product_id: int, qty: int = ONE) -> None:
        till = self.ctx.session.till
        self.ctx.cart_op(lambda: till.add_product(product_id, qty))

    def scan(self, code: str) -> None:
        def done(result) -> None:
            kind, value = result
            if kind == "receipt":
                dialog = self.returns()
                dialog.accept_scan(value)
            else:
                self.ctx.set_cart(value)

        self.ctx.do(lambda: self.ctx.session.scan_any(code), done)

    # --- the cart ----------------------------------------------------------------------------------

    def show_cart(self, snap: CartSnapshot) -> None:
        self.cart_model.set_cart(snap)
        if snap.rows:
            self.cart_view.selectRow(len(snap.rows) - 1)
        word = tr("To refund") if snap.total < 0 else tr("To pay")
        self.total_label.setText(f"{word}: {money(abs(snap.total))} kr")
        customer = snap.customer_name or (tr("customer attached") if snap.customer_id else None)
        self.customer_label.setText(tr("Customer:") + f" {customer}" if customer else "")
        self.buttons["pay"].setEnabled(not snap.is_empty)

    def current_line(self) -> str | None:
        row = selected_row(self.cart_view)
        if row is None:
            if self.cart_model.rowCount():
                row = self.cart_model.rowCount() - 1
            else:
                self.ctx.info(tr("The cart is empty"), "error")
                return None
        return self.cart_model.line_id(row)

    def change_qty(self) -> None:
        line_id = self.current_line()
        if line_id:
            till = self.ctx.session.till
            sign = -1 if self._is_return(line_id) else 1
            NumberDialog(self, tr("Quantity or weight"), lambda q: self.ctx.cart_op(
                lambda: till.set_qty(line_id, sign * q)), kind="qty").open()

    def _is_return(self, line_id: str) -> bool:
        return any(r.line_id == line_id and r.is_return for r in self.ctx.cart.rows)

    def line_discount(self) -> None:
        line_id = self.current_line()
        if line_id:
            till = self.ctx.session.till

            def apply(value) -> None:
                mode, v = value
                kw = {"amount": v} if mode == "amount" else {"percent_bp": v}
                self.ctx.cart_op(lambda: till.discount_line(line_id, **kw))
            DiscountDialog(self, tr("Line discount"), apply).open()

    def receipt_discount(self) -> None:
        till = self.ctx.session.till

        def apply(value) -> None:
            mode, v = value
            kw = {"amount": v} if mode == "amount" else {"percent_bp": v}
            self.ctx.cart_op(lambda: till.discount_receipt(**kw))
        DiscountDialog(self, tr("Receipt discount"), apply).open()

    def override_price(self) -> None:
        line_id = self.current_line()
        if not line_id:
            return
        till = self.ctx.session.till

        def with_price(price: int) -> None:
            self.ctx.ask_manager(tr("Change the price of the line"), lambda manager: self.ctx.cart_op(
                lambda: till.override_price(line_id, price, manager)))
        NumberDialog(self, tr("New unit price (kr)"), with_price, kind="amount").open()

    def void_line(self) -> None:
        line_id = self.current_line()
        if line_id:
            till = self.ctx.session.till
            self.ctx.ask_manager(tr("Remove the line"), lambda manager: self.ctx.cart_op(
                lambda: till.void_line(line_id, manager)))

    def customer(self) -> CustomerDialog:
        dialog = CustomerDialog(self, self.ctx)
        dialog.open()
        return dialog

    def park(self) -> None:
        till = self.ctx.session.till
        self.ctx.cart_op(lambda: till.park(), lambda _s: self.ctx.info(tr("Sale parked")))

    def show_parked(self) -> None:
        self.ctx.do(self.ctx.session.till.parked, lambda parked: ParkedDialog(self, self.ctx, parked).open())

    def returns(self) -> ReturnDialog:
        dialog = ReturnDialog(self, self.ctx)
        dialog.open()
        return dialog

    def clear(self) -> None:
        self.ctx.cart_op(self.ctx.session.till.clear)

    def pay(self) -> None:
        if not self.ctx.cart.is_empty:
            self.on_pay()
