"""Invoices, credit notes, OCR references, incoming payments, receivables and reminders."""
