"""Table models of the back-office tabs: named columns, pages fetched through a runner, no widgets."""
