"""Funding spreadsheet imports: past awards and government service purchases, one
module per kind; `cells` holds their shared cell parsers."""
