"""Reading whole plan documents (Word, PDF, scans) into paragraphs and tables, and finding their tasks
and their own data there (pure domain logic, no database)."""
