"""Back-office commands: settings (filled in by its area)."""
