"""The first-run wizard's pages: language, how this machine is used, server, company, store, user, printer.

Each page sets its words in `initializePage` (so the language chosen on the first page applies to
every page after it) and checks its answers with the Qt-free use cases in `core.setup.first_run`;
a refusal is shown in red under the field it names.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from core.errors import UserError
from pos_app.i18n import tr
from pos_app.widgets import MIN_TOUCH, TouchButton

LANGUAGES = (("sv", "Svenska"), ("en", "English"))
PRINTER_KINDS = ("dummy", "usb", "serial", "network", "file")


class Form(QWidget):
    """Labelled line edits, each with a red error line under it, found by the use case's field name."""

    def __init__(self, fields: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        for name, text in fields:
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            edit, error = QLineEdit(), QLabel()
            edit.setObjectName(name)
            edit.setMinimumHeight(MIN_TOUCH - 12)
            error.setObjectName(f"{name}_error")
            error.setStyleSheet("color: #b00020")
            error.setWordWrap(True)
            error.hide()
            v.addWidget(edit)
            v.addWidget(error)
            label = QLabel(text)
            self.layout_.addRow(label, box)
            self.edits[name], self.errors[name], self.labels[name] = edit, error, label

    def value(self, name: str) -> str:
        return self.edits[name].text().strip()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, exc: UserError) -> bool:
        """Show the refusal under its field; False when it names none of this form's fields."""
        label = self.errors.get(exc.field or "")
        if label is None:
            return False
        label.setText(exc.message + (f" ({exc.hint})" if exc.hint else ""))
        label.show()
        self.edits[exc.field].setFocus()
        return True


class LanguagePage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        layout.addWidget(self.welcome)
        for i, (code, name) in enumerate(LANGUAGES):
            button = QRadioButton(name)
            button.setObjectName(f"lang_{code}")
            button.setMinimumHeight(MIN_TOUCH)
            self.group.addButton(button, i)
            layout.addWidget(button)
        layout.addStretch()
        self.group.button(0 if wizard.language == "sv" else 1).setChecked(True)
        self.group.idClicked.connect(lambda i: self.wiz.set_language(LANGUAGES[i][0]))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("Welcome to Butik"))
        self.welcome.setText(tr("Nothing is set up on this computer yet. Choose the language, then how "
                                "this computer is used."))


class ModePage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        layout = QVBoxLayout(self)
        self.server = QRadioButton()
        self.server.setObjectName("mode_server")
        self.single = QRadioButton()
        self.single.setObjectName("mode_single")
        for b in (self.server, self.single):
            b.setMinimumHeight(MIN_TOUCH)
            layout.addWidget(b)
        self.server_help, self.single_help = QLabel(), QLabel()
        layout.insertWidget(1, self.server_help)
        layout.addWidget(self.single_help)
        layout.addStretch()
        self.single.setChecked(True)

    def initializePage(self) -> None:
        self.setTitle(tr("How is this computer used?"))
        self.server.setText(tr("Connect to a server"))
        self.server_help.setText(tr("The shop's server runs elsewhere; you have an enrolment code."))
        self.single.setText(tr("Single-machine shop"))
        self.single_help.setText(tr("One shop with this computer as its only till; the server runs here."))


class ServerPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.form = Form([("url", ""), ("code", ""), ("name", "")])
        self.form.edits["url"].setPlaceholderText("https://butik.example.se")
        QVBoxLayout(self).addWidget(self.form)

    def initializePage(self) -> None:
        self.setTitle(tr("Connect to a server"))
        self.setSubTitle(tr("A manager makes an enrolment code in the back office (Settings → Devices)."))
        for name, text in (("url", tr("Server address")), ("code", tr("Enrolment code")),
                           ("name", tr("Name of this computer"))):
            self.form.labels[name].setText(text)
        if not self.form.value("name"):
            self.form.edits["name"].setText(tr("Till 1") if self.wiz.pos else tr("Back office"))

    def validatePage(self) -> bool:
        self.form.clear_errors()
        for field, text in (("url", tr("Give the server's address")), ("code", tr("Give the code"))):
            if not self.form.value(field):
                self.form.show_error(UserError(text, field=field))
                return False
        return True


class ShopPage(QWizardPage):
    """A page of the single-machine shop's details, checked up to `steps` on a scratch database."""

    FIELDS: tuple[str, ...] = ()
    STEPS: tuple[str, ...] = ()

    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.form = Form([(f, "") for f in self.FIELDS])
        self.general_error = QLabel()
        self.general_error.setStyleSheet("color: #b00020")
        self.general_error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.general_error)

    def fill(self, details) -> None:
        for f in self.FIELDS:
            setattr(details, f, self.form.value(f) if f not in ("password", "pin") else self.form.edits[f].text())

    def validatePage(self) -> bool:
        self.form.clear_errors()
        self.general_error.clear()
        self.fill(self.wiz.details)
        refusal = self.wiz.checker.check(self.wiz.details, self.STEPS)
        if refusal is None:
            return True
        if not self.form.show_error(refusal):
            self.general_error.setText(str(refusal))
        return False


class CompanyPage(ShopPage):
    FIELDS = ("company_name", "org_number", "vat_number", "address1", "postal_code", "city")
    STEPS = ("company",)

    def initializePage(self) -> None:
        self.setTitle(tr("Your company"))
        for f, text in zip(self.FIELDS, (tr("Company name"), tr("Organisation number"),
                                         tr("VAT registration number"), tr("Address"), tr("Postal code"),
                                         tr("City"))):
            self.form.labels[f].setText(text)
        self.form.edits["org_number"].setPlaceholderText("556016-0680")
        self.form.edits["vat_number"].setPlaceholderText("SE556016068001")


class StorePage(ShopPage):
    FIELDS = ("store_code", "store_name", "register_code")
    STEPS = ("company", "store")

    def initializePage(self) -> None:
        self.setTitle(tr("The shop and its till"))
        self.setSubTitle(tr("The register code is printed on every receipt: at most 16 letters, digits or '-'."))
        for f, text in zip(self.FIELDS, (tr("Shop code"), tr("Shop name"), tr("Register code"))):
            self.form.labels[f].setText(text)
        d = self.wiz.details
        for f in self.FIELDS:
            if not self.form.value(f):
                self.form.edits[f].setText(getattr(d, f) or (d.company_name if f == "store_name" else ""))


class UserPage(ShopPage):
    FIELDS = ("username", "password", "pin")
    STEPS = ("company", "store", "user")

    def initializePage(self) -> None:
        self.setTitle(tr("The first manager"))
        self.setSubTitle(tr("The password opens the back office; the PIN logs in at the till."))
        for f, text in zip(self.FIELDS, (tr("User name"), tr("Password"), tr("PIN (4–8 digits)"))):
            self.form.labels[f].setText(text)
        self.form.edits["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.form.edits["pin"].setEchoMode(QLineEdit.EchoMode.Password)
        if not self.form.value("username"):
            self.form.edits["username"].setText(self.wiz.details.username)


class PrinterPage(QWizardPage):
    """Printer kind and address, a test print and a drawer test (both on the printer lane)."""

    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.kind = QComboBox()
        self.kind.setObjectName("printer_kind")
        self.kind.setMinimumHeight(MIN_TOUCH - 12)
        self.form = Form([("vendor_id", "USB vendor id"), ("product_id", "USB product id"),
                          ("devfile", ""), ("host", ""), ("port", "")])
        self.form.edits["port"].setText("9100")
        self.form.edits["vendor_id"].setPlaceholderText("0x04b8")
        self.form.edits["product_id"].setPlaceholderText("0x0202")
        self.test_button = TouchButton("", on_click=lambda: self.run_test("print"), wrap=0)
        self.drawer_button = TouchButton("", on_click=lambda: self.run_test("drawer"), wrap=0)
        self.result = QLabel()
        self.result.setObjectName("printer_result")
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kind)
        layout.addWidget(self.form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.drawer_button)
        layout.addWidget(self.result)
        self.kind.currentIndexChanged.connect(self.show_fields)

    def initializePage(self) -> None:
        self.setTitle(tr("Receipt printer and cash drawer"))
        names = {"dummy": tr("No printer (test mode)"), "usb": tr("USB printer"),
                 "serial": tr("Serial printer"), "network": tr("Network printer (port 9100)"),
                 "file": tr("Printer device file")}
        current = self.kind.currentIndex()
        self.kind.blockSignals(True)
        self.kind.clear()
        for k in PRINTER_KINDS:
            self.kind.addItem(names[k], k)
        self.kind.setCurrentIndex(max(current, 0))
        self.kind.blockSignals(False)
        self.form.labels["devfile"].setText(tr("Device"))
        self.form.labels["host"].setText(tr("Host"))
        self.form.labels["port"].setText(tr("Port"))
        self.test_button.setText(tr("Test print"))
        self.drawer_button.setText(tr("Open the drawer"))
        self.show_fields()

    def show_fields(self) -> None:
        kind = self.kind.currentData()
        shown = {"usb": ("vendor_id", "product_id"), "serial": ("devfile",), "file": ("devfile",),
                 "network": ("host", "port")}.get(kind, ())
        for name in self.form.edits:
            self.form.layout_.setRowVisible(self.form.labels[name], name in shown)

    def printer(self) -> dict:
        kind = self.kind.currentData() or "dummy"
        out: dict = {"kind": kind}
        if kind == "usb":
            out.update(vendor_id=self.form.value("vendor_id") or "0", product_id=self.form.value("product_id") or "0")
        elif kind in ("serial", "file"):
            out["devfile"] = self.form.value("devfile")
        elif kind == "network":
            out["host"] = self.form.value("host")
            out["port"] = int(self.form.value("port") or 9100) if self.form.value("port").isdigit() else 9100
        return out

    def settings(self):
        from core.hardware.printer import PrinterSettings

        try:
            return PrinterSettings.from_dict(self.printer())
        except ValueError as exc:
            raise UserError(f"not a number: {exc}", field="printer.vendor_id",
                            hint="USB ids are like 0x04b8") from None

    def run_test(self, what: str) -> None:
        from core.hardware.printer import ReceiptPrinter

        try:
            settings = self.settings()
        except UserError as exc:
            self.result.setText(str(exc))
            return
        printer = ReceiptPrinter(settings)
        self.result.setText(tr("Asking the printer…"))
        job = printer.test_print if what == "print" else printer.kick_drawer
        self.wiz.printer_lane.run(job, lambda _: self.result.setText(
            tr("The printer answered.") if what == "print" else tr("The drawer was sent its pulse.")),
            lambda exc: self.result.setText(str(exc)))

    def validatePage(self) -> bool:
        try:
            self.settings()
        except UserError as exc:
            self.result.setText(str(exc))
            return False
        return True
