"""The manual voucher being typed in the Ledger tab: its rows, the live balance, and the rows as
the JSON the `ledger.post_manual` command takes (debit positive, credit negative, öre)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from backoffice.models.paged import NO_PARENT, tr
from core.errors import ValidationError
from core.money import format_amount, parse_amount


@dataclass
class EntryRow:
    account: str = ""
    debit: str = ""
    credit: str = ""
    text: str = ""


def _ore(value: str, field: str) -> int:
    return parse_amount(value, field) if value.strip() else 0


class ManualVoucherModel(QAbstractTableModel):
    """The rows of a manual voucher being typed: account, debit, credit, text. `balance_changed`
    carries debit − credit (öre) after every edit, or None while an amount does not parse."""

    COLUMNS = (("account", "Account"), ("debit", "Debit"), ("credit", "Credit"), ("text", "Text"))
    balance_changed = Signal(object)

    def __init__(self, rows: int = 4, parent=None):
        super().__init__(parent)
        self.rows = [EntryRow() for _ in range(rows)]

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(type(self).__name__, self.COLUMNS[section][1])
        return None

    def flags(self, index):
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(self.rows[index.row()], key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("debit", "credit"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key = self.COLUMNS[index.column()][0]
        setattr(self.rows[index.row()], key, str(value or "").strip())
        self.dataChanged.emit(index, index)
        self.balance_changed.emit(self.imbalance())
        if index.row() == len(self.rows) - 1 and str(value or "").strip():
            self.add_row()  # typing in the last row opens a new one
        return True

    def set_row(self, row: int, account: str = "", debit: str = "", credit: str = "",
                text_: str = "") -> None:
        """Fill a row as a user would (tests, and copying a voucher)."""
        while row >= len(self.rows):
            self.add_row()
        for col, value in enumerate((account, debit, credit, text_)):
            self.setData(self.index(row, col), value)

    def add_row(self) -> None:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(EntryRow())
        self.endInsertRows()

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.balance_changed.emit(self.imbalance())

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = [EntryRow() for _ in range(4)]
        self.endResetModel()
        self.balance_changed.emit(0)

    def filled(self) -> list[tuple[int, EntryRow]]:
        return [(i, r) for i, r in enumerate(self.rows) if r.account or r.debit or r.credit]

    def imbalance(self) -> int | None:
        """Σ debit − Σ credit in öre; None while some amount does not parse."""
        try:
            return sum(_ore(r.debit, "debit") - _ore(r.credit, "credit") for _, r in self.filled())
        except ValidationError:
            return None

    def ready(self) -> bool:
        """At least two rows and balanced to the öre (what the Post button waits for)."""
        return len(self.filled()) >= 2 and self.imbalance() == 0

    def draft_rows(self) -> list[dict]:
        """The rows as `ledger.post_manual` takes them; refuses a row that is unclear, naming its line."""
        out = []
        for i, r in self.filled():
            line = f"row {i + 1}"
            try:
                account = int(r.account)
            except ValueError:
                raise ValidationError(f"{line}: {r.account!r} is not an account number",
                                      field="account", hint="a four-digit BAS account, e.g. 1930") from None
            debit, credit = _ore(r.debit, "debit"), _ore(r.credit, "credit")
            if debit and credit:
                raise ValidationError(f"{line}: give a debit or a credit, not both", field="amount")
            if not debit and not credit:
                raise ValidationError(f"{line}: the row has no amount", field="amount")
            out.append({"account": account, "amount": debit - credit, "text": r.text or None})
        return out


def balance_text(imbalance: int | None) -> str:
    if imbalance is None:
        return tr("ManualVoucherModel", "An amount is not a number")
    if imbalance == 0:
        return tr("ManualVoucherModel", "Balanced")
    return tr("ManualVoucherModel", "Difference {d} kr").format(
        d=format_amount(imbalance, thousands_sep=" "))
