"""Ledger: BAS chart, balanced immutable vouchers in series, posting rules, VAT return, OSS, SIE4.

Modules: models (tables), chart (BAS seed, account roles), periods (financial years, lock),
posting (post/reverse), fx (exchange rates), rules/ (one posting rule per document), adapters
(other areas' documents → rule facts), vat_return, oss, reports, sie4 (export) and sie4_import.
"""
