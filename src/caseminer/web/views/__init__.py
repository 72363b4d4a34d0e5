"""The workbench's pages (one blueprint per page) and its JSON API (``api.py``)."""
