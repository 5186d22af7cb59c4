"""What the cms shows: held records and pages turned into template contexts.

Presenters read through selectors and never write: ``record`` (a record's
detail page), ``home`` (the hub's home page), ``listing`` (lines of listings
and the records a record refers to), ``admin`` (a federated record in the
Wagtail admin).
"""
