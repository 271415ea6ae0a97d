"""The funding admin screens: `calls` (the desk), `reviews` (the reviewer's),
`awards`, `purchases`, `exports` (Excel), `viewsets` (the snippets), `logs`."""
