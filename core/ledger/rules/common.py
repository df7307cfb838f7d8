"""Shared pieces of the posting rules: rate → accounts, currency tags, the exchange-difference row."""

from __future__ import annotations

from core.errors import ValidationError
from core.ledger.chart import DOMESTIC_RATE_ACCOUNTS
from core.ledger.fx import to_sek
from core.ledger.posting import Row
from core.money import BASE_CURRENCY, format_rate


def domestic_accounts(rate_bp: int) -> tuple[int, int | None]:
    """(sales account, output VAT account) for a Swedish rate."""
    try:
        return DOMESTIC_RATE_ACCOUNTS[rate_bp]
    except KeyError:
        raise ValidationError(f"no sales account for the Swedish VAT rate {format_rate(rate_bp)} %",
                              field="vat_rate", hint="Swedish rates are 25, 12, 6 or 0 %") from None


def row(account: int, minor: int, currency: str, rate_micro: int, **tags) -> Row:
    """A row for `minor` in `currency`, booked in öre at `rate_micro` (tagged when foreign)."""
    if currency == BASE_CURRENCY:
        return Row(account, minor, **tags)
    return Row(account, to_sek(minor, rate_micro), currency=currency, currency_amount=minor, **tags)


def balancing_row(account: int, rows: list[Row], currency: str, minor: int, **tags) -> Row:
    """The row that makes `rows` balance (the receivable or payable), tagged with its currency amount."""
    amount = -sum(r.amount for r in rows)
    if currency == BASE_CURRENCY:
        return Row(account, amount, **tags)
    return Row(account, amount, currency=currency, currency_amount=minor, **tags)


def fx_difference(rows: list[Row], roles: dict[str, int]) -> list[Row]:
    """The exchange difference that balances `rows`: a loss is a debit (7960), a gain a credit (3960)."""
    diff = -sum(r.amount for r in rows)
    if not diff:
        return []
    account = roles["fx_loss"] if diff > 0 else roles["fx_gain"]
    return [Row(account, diff, text="Kursdifferens")]
