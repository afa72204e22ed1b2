"""Saving what a form sends: once per client_id (once.py), never over someone else's change (edits.py)."""
