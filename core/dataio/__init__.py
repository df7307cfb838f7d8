"""CSV import and export (`butik import` / `butik export`): validated rows, progress, all-or-nothing by default."""
