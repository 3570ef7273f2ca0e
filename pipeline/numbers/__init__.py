"""The number grammar, shared by the checks, repair, the memory's scoring and alignment.

``read``: text → :class:`Quantity` values (English and Chinese readers);
``numerals``: numerals ↔ values; ``style``: a value written the way a given
text writes numbers; ``placeables``: the spans of a sentence that a
translation carries over by value (numbers, dates, amounts, codes, terms).
"""
