"""What the Orders tab's buttons do: every change is a command (core/commands/orders.py, invoices.py,
mail.py) run where the authority is; PDFs are rendered from this machine's copy off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from backoffice.errors import show_error

AREA = "orders"
#: document kind → (the command that e-mails it, its id argument)
MAIL_COMMANDS = {"order": ("orders.email_confirmation", "order_id"),
                 "delivery": ("orders.email_delivery", "delivery_id"),
                 "invoice": ("invoices.email", "invoice_id"),
                 "quote": ("quotes.email", "quote_id"),
                 "reminder": ("invoices.email_reminder", "reminder_id")}
#: documents that print the bankgiro (a setting of the server, where invoices are e-mailed from)
WITH_BANKGIRO = ("invoice", "reminder")


def render(kind: str, session, doc_id, bankgiro: str | None) -> bytes:
    """The PDF of a document (runs on the database lane)."""
    if kind == "order":
        from core.documents.order_pdf import order_confirmation_pdf
        return order_confirmation_pdf(session, doc_id)
    if kind == "delivery":
        from core.documents.delivery_pdf import delivery_note_pdf
        return delivery_note_pdf(session, doc_id)
    if kind == "invoice":
        from core.documents.invoice_pdf import invoice_pdf
        return invoice_pdf(session, doc_id, bankgiro)
    if kind == "quote":
        from core.documents.quote_pdf import quote_pdf
        return quote_pdf(session, doc_id)
    if kind == "reminder":
        from core.documents.reminder_pdf import reminder_pdf
        return reminder_pdf(session, doc_id, bankgiro)
    raise ValueError(kind)


class OrderActions:
    """Mixed into OrdersTab: needs `ctx`, `detail`, `message`, `selected_delivery()`, `selected_invoice()`."""

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def open_editor(self, mode: str) -> None:
        from backoffice.tabs.order_dialogs import OrderEditor
        if mode == "edit" and self.detail is None:
            return
        editor = OrderEditor(self.ctx, mode, self.detail if mode == "edit" else None, self)
        editor.saved.connect(lambda _id, number: self._focus(number))
        self._open(editor)

    def open_details(self) -> None:
        """The order's name, e-mail, reference, addresses, terms and note (orders.set_details)."""
        from backoffice.tabs.order_details import DetailsDialog
        if self.detail is not None:
            dialog = DetailsDialog(self.ctx, self.detail, self)
            dialog.saved.connect(lambda number: self.message.setText(self.tr("Order {n} saved").format(n=number)))
            self._open(dialog)

    def _focus(self, number: int) -> None:
        self.message.setText(self.tr("Order {n} saved").format(n=number))

        def pick(_n):
            self.model.loaded.disconnect(pick)
            self.select_number(number)
            self.show_selected()
        self.model.loaded.connect(pick)

    def step(self, name: str) -> None:
        """A lifecycle command on the shown order: orders.confirm, orders.cancel, orders.close_backorder."""
        if self.detail is not None:
            self.ctx.command(name, {"order_id": self.detail.id}, on_error=self._failed)

    def open_deliver(self) -> None:
        from backoffice.tabs.order_dialogs import DeliverDialog
        if self.detail is not None:
            dialog = DeliverDialog(self.ctx, self.detail, self)
            dialog.delivered.connect(lambda _id: self._stock_moved())
            self._open(dialog)

    def _stock_moved(self) -> None:
        if hasattr(self.ctx, "changed"):
            self.ctx.changed.emit("stock")

    def _invoiced(self, result: dict) -> None:
        self.message.setText(self.tr("Invoice {n} made").format(n=result["number"]))

    def invoice_order(self) -> None:
        if self.detail is not None:
            self.ctx.command("invoices.invoice_order", {"order_id": self.detail.id}, self._invoiced,
                             on_error=self._failed)

    def invoice_delivery(self) -> None:
        dlv = self.selected_delivery()
        if dlv is not None:
            self.ctx.command("invoices.invoice_delivery", {"delivery_id": dlv.id}, self._invoiced,
                             on_error=self._failed)

    def open_credit(self) -> None:
        from backoffice.tabs.order_money import CreditDialog
        inv = self.selected_invoice()
        if inv is not None:
            self._open(CreditDialog(self.ctx, inv, self))

    def open_payment(self) -> None:
        from backoffice.tabs.order_money import PaymentDialog
        inv = self.selected_invoice()
        if inv is not None:
            self._open(PaymentDialog(self.ctx, inv, self.detail.currency, self))

    def open_import(self) -> None:
        from backoffice.tabs.order_money import ImportPaymentsDialog
        self._open(ImportPaymentsDialog(self.ctx, self))

    def open_receivables(self) -> None:
        from backoffice.tabs.order_money import ReceivablesDialog
        self._open(ReceivablesDialog(self.ctx, self.save_pdf, self))

    def open_quotes(self) -> None:
        from backoffice.tabs.order_quotes import QuotesDialog
        dialog = QuotesDialog(self.ctx, self, self)
        dialog.converted.connect(lambda _id, number: self._focus(number))
        self._open(dialog)

    def open_smtp(self) -> None:
        from backoffice.tabs.order_mail import SmtpDialog
        self._open(SmtpDialog(self.ctx, self))

    # --- documents -------------------------------------------------------------------------------

    def _document(self, kind: str):
        d = self.detail
        if d is None:
            return None
        if kind == "order":
            return d.id, f"orderbekraftelse-{d.number}.pdf"
        if kind == "delivery":
            x = self.selected_delivery()
            return (x.id, f"foljesedel-{d.number}-{x.seq}.pdf") if x else None
        x = self.selected_invoice()
        return (x.id, f"faktura-{x.number}.pdf") if x else None

    def save_document(self, kind: str, path: str | None = None) -> None:
        doc = self._document(kind)
        if doc is not None:
            self.save_pdf(kind, doc[0], doc[1], path)

    def save_pdf(self, kind: str, doc_id, name: str, path: str | None = None) -> None:
        """Render the document off the GUI thread and write it to `path` (asked for when None).

        Invoices and reminders print the bankgiro, a setting of the server: asked for first, and
        left out when the server cannot say (the rest of the document is this machine's copy).
        """
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save PDF"), str(Path.home() / name), "PDF (*.pdf)")
            if not path:
                return
        target = Path(path)

        def job(bankgiro):
            def write(s):
                target.write_bytes(render(kind, s, doc_id, bankgiro))
                return target
            self.ctx.read(write, done, self._failed)

        def done(saved):
            self.last_saved = saved
            self.message.setText(self.tr("Saved {path}").format(path=saved))
        if kind in WITH_BANKGIRO:
            self.ctx.command("orders.mail_settings", {}, lambda r: job(r.get("bankgiro")),
                             on_error=lambda _exc: job(None))
        else:
            job(None)

    def mail_document(self, kind: str) -> None:
        doc = self._document(kind)
        if doc is not None:
            self.send_mail(kind, doc[0])

    def send_mail(self, kind: str, doc_id) -> None:
        """E-mail a document: a command, sent from the server with its e-mail settings."""
        name, key = MAIL_COMMANDS[kind]

        def done(result):
            self.last_sent = result["to"]
            self.message.setText(self.tr("E-mail sent to {to}").format(to=result["to"]))
        self.ctx.command(name, {key: doc_id}, done, on_error=self._failed)
