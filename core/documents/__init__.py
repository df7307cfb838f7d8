"""Documents rendered to PDF with reportlab: receipts, reports (and later invoices, delivery notes)."""
