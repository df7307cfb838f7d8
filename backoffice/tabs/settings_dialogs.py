"""The create/edit dialog of an integration connection, its fields per kind; the secret is write-only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from backoffice.models.connections_model import (
    CREDENTIAL_LABELS,
    KIND_NAMES,
    Choices,
    ConnectionForm,
    ConnectionRow,
    format_status_map,
    parse_status_map,
)
from backoffice.widgets import fill_combo, select
from core.errors import ValidationError
from core.integrations.connections import DEFAULT_POLL_S, DEFAULT_STATUS_MAP, MIN_POLL_S
from core.integrations.models import CONNECTION_KINDS
from core.quantity import format_qty, parse_qty

SAVED = "••••• saved"


def _int_or_none(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError("a whole number", field=field)
    return int(text)


class ConnectionDialog(QDialog):
    """New connection (kind chosen here) or edit one (kind fixed). `form()` reads the fields."""

    def __init__(self, choices: Choices, row: ConnectionRow | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.row = row
        self.setWindowTitle(self.tr("Edit connection") if row else self.tr("New connection"))
        self.kind = QComboBox()
        for kind in CONNECTION_KINDS:
            self.kind.addItem(self.tr(KIND_NAMES[kind]), kind)
        self.code, self.name, self.base_url = QLineEdit(), QLineEdit(), QLineEdit()
        self.client_id, self.secret = QLineEdit(), QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.channel, self.price_list, self.location = QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.channel, choices.channels, self.tr("(none)"))
        fill_combo(self.price_list, choices.price_lists, self.tr("(none)"))
        fill_combo(self.location, choices.locations, self.tr("(none)"))
        self.buffer = QLineEdit("0")
        self.status_map = QLineEdit(format_status_map(DEFAULT_STATUS_MAP))
        self.shop_pricelist, self.shop_location = QLineEdit(), QLineEdit()
        self.service_id = QLineEdit("P19")
        self.printer_kind = QComboBox()
        self.printer_kind.addItem(self.tr("Folder (PDF files)"), "folder")
        self.printer_kind.addItem(self.tr("CUPS printer"), "cups")
        self.printer_target = QLineEdit()
        self.printer_target.setPlaceholderText(self.tr("folder path, or CUPS printer name"))
        self.poll = QSpinBox(minimum=MIN_POLL_S, maximum=86400, value=DEFAULT_POLL_S)
        self.active = QCheckBox(self.tr("Active"))
        self.active.setChecked(True)

        self.fields = QFormLayout()
        self.fields.addRow(self.tr("Kind"), self.kind)
        self.fields.addRow(self.tr("Code"), self.code)
        self.fields.addRow(self.tr("Name"), self.name)
        self.fields.addRow(self.tr("Base URL"), self.base_url)
        self.client_label, self.secret_label = QLabel(), QLabel()
        self.fields.addRow(self.client_label, self.client_id)
        self.fields.addRow(self.secret_label, self.secret)
        #: rows shown only for one kind
        self.only = {"starweb": [self.channel, self.price_list, self.location, self.buffer,
                                 self.status_map, self.shop_pricelist, self.shop_location],
                     "unifaun": [self.service_id, self.printer_kind, self.printer_target]}
        for label, widget in ((self.tr("Sales channel"), self.channel),
                              (self.tr("Price list"), self.price_list),
                              (self.tr("Stock location"), self.location),
                              (self.tr("Buffer per item"), self.buffer),
                              (self.tr("Status mapping"), self.status_map),
                              (self.tr("Shop price list id"), self.shop_pricelist),
                              (self.tr("Shop stock location id"), self.shop_location),
                              (self.tr("Service id"), self.service_id),
                              (self.tr("Label printer"), self.printer_kind),
                              (self.tr("Printer folder or name"), self.printer_target),
                              (self.tr("Polling interval (s)"), self.poll)):
            self.fields.addRow(label, widget)
        self.fields.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        # Save does not close: the owner saves on the database lane and closes on success
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        if row is not None:
            self._fill(row)
        self._kind_changed()

    def _fill(self, row: ConnectionRow) -> None:
        select(self.kind, row.kind)
        self.kind.setEnabled(False)
        self.code.setText(row.code)
        self.code.setReadOnly(True)  # the keyring entry is filed under the code
        self.name.setText(row.name)
        self.base_url.setText(row.base_url)
        self.client_id.setText(row.client_id)
        # the secret is never read back: a placeholder says one is kept
        self.secret.setPlaceholderText(self.tr(SAVED) if row.has_secret else "")
        select(self.channel, row.channel_id)
        select(self.price_list, row.price_list_code)
        select(self.location, row.stock_location_code)
        self.buffer.setText(format_qty(row.buffer_qty))
        self.status_map.setText(format_status_map(row.status_map))
        s = row.settings
        self.shop_pricelist.setText(str(s.get("shop_pricelist_id", "")))
        self.shop_location.setText(str(s.get("shop_stock_location_id", "")))
        self.service_id.setText(str(s.get("service_id", "P19")))
        printer = s.get("label_printer") or {}
        select(self.printer_kind, printer.get("kind", "folder"))
        self.printer_target.setText(printer.get("folder") or printer.get("printer") or "")
        self.poll.setValue(row.poll_interval_s)
        self.active.setChecked(row.active)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        public, secret = CREDENTIAL_LABELS[kind]
        self.client_label.setText(self.tr(public))
        self.secret_label.setText(self.tr(secret))
        for only_kind, widgets in self.only.items():
            for w in widgets:
                self.fields.setRowVisible(w, kind == only_kind)

    def form(self) -> ConnectionForm:
        """The fields as a form for `save_form` (raises ValidationError naming the field)."""
        kind = self.kind.currentData()
        settings = dict(self.row.settings) if self.row else {}
        form = ConnectionForm(kind=kind, code=self.code.text().strip(), base_url=self.base_url.text().strip(),
                              client_id=self.client_id.text().strip(), secret=self.secret.text(),
                              name=self.name.text().strip(), poll_interval_s=self.poll.value(),
                              active=self.active.isChecked(), settings=settings)
        if kind == "starweb":
            form.channel_id = self.channel.currentData()
            form.price_list_code = self.price_list.currentData()
            form.stock_location_code = self.location.currentData()
            form.buffer_qty = parse_qty(self.buffer.text() or "0", field="buffer_qty")
            form.status_map = parse_status_map(self.status_map.text())
            for key, widget in (("shop_pricelist_id", self.shop_pricelist),
                                ("shop_stock_location_id", self.shop_location)):
                value = _int_or_none(widget.text(), key)
                if value is None:
                    settings.pop(key, None)
                else:
                    settings[key] = value
        elif kind == "unifaun":
            settings["service_id"] = self.service_id.text().strip() or "P19"
            pk, target = self.printer_kind.currentData(), self.printer_target.text().strip()
            settings["label_printer"] = {"kind": pk, ("folder" if pk == "folder" else "printer"): target}
        return form
