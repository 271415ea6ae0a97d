"""Rural-revitalization spreadsheet imports: outcome reports."""
