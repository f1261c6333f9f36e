"""Official-format documents (GB/T 9704-2012 .docx) and spreadsheets (.xlsx) built from plain data.

A plain package (no models, not a Django app): builders take dataclasses/dicts and return bytes, so they can
be tested and benchmarked without a request.
"""
