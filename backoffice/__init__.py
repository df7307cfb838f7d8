"""Back-office workstation tabs (PySide6)."""
