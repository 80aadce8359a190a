"""Documents: PDFs rendered from the page templates, one helper and one style (WeasyPrint)."""
