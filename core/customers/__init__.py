"""Customers: private persons and companies, their addresses, matching of imported customers, CSV export."""
