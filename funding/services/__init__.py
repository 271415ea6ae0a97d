"""Write services for funding: every rule lives here or in `funding/lifecycle.py`."""
