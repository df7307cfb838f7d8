"""Back-office commands: purchasing (filled in by its area)."""
