"""Back-office commands: orders (filled in by its area)."""
