"""The client's forms (issue 19): the /forms list (list_page.py) and one form
being filled in, autosaved and signed (form_page.py; its rows in rows.py)."""
