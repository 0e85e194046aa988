"""Reading and parsing the task appendix of a provincial plan (pure domain logic, no database)."""

from plans.appendix.reading import AppendixError, Cell, Sheet, SheetRow, read_rows, read_sheets

__all__ = ["AppendixError", "Cell", "Sheet", "SheetRow", "read_rows", "read_sheets"]
