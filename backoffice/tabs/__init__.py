"""Back-office tabs: each module defines TITLE and `make(ctx)` returning the tab widget."""
