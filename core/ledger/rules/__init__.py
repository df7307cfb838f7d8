"""Posting rules: one small pure function per document kind, from plain facts to a `VoucherDraft`.

Each rule takes its facts dataclass and the account roles (`core.ledger.chart.roles`) and returns
a draft that balances to the öre; `core.ledger.posting.post` checks and writes it. Adapters from
the other areas' documents to these facts live in `core.ledger.adapters`.
"""

from core.ledger.rules.invoice import InvoiceFacts, PaymentFacts, invoice_voucher, payment_voucher
from core.ledger.rules.purchase import (
    GoodsReceiptFacts,
    SupplierInvoiceFacts,
    SupplierPaymentFacts,
    goods_receipt_voucher,
    supplier_invoice_voucher,
    supplier_payment_voucher,
)
from core.ledger.rules.settlement import SettlementFacts, SettlementItem, settlement_voucher
from core.ledger.rules.stock import (
    StockCountFacts,
    StockValuationFacts,
    stock_count_voucher,
    stock_valuation_voucher,
)
from core.ledger.rules.zreport import ZReportFacts, z_report_voucher

__all__ = [
    "GoodsReceiptFacts", "InvoiceFacts", "PaymentFacts", "SettlementFacts", "SettlementItem",
    "StockCountFacts", "StockValuationFacts", "SupplierInvoiceFacts", "SupplierPaymentFacts",
    "ZReportFacts", "goods_receipt_voucher", "invoice_voucher", "payment_voucher",
    "settlement_voucher", "stock_count_voucher", "stock_valuation_voucher",
    "supplier_invoice_voucher", "supplier_payment_voucher", "z_report_voucher",
]
