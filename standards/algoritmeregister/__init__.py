"""The Dutch algorithm register (publication standard 1.0): import and export of
AI projects. ``schema`` is the standard, ``legacy`` its 0.x names, ``mapping``
the record body ⇄ entry mapping, ``services`` import and export."""
