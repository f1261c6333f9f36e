"""Record imports (CSV/XLSX → records), all-or-nothing and idempotent.

- :mod:`.columns` — the column dictionary (header spellings → fields, templates);
- :mod:`.parser` — column parsing and checks (:class:`~.parser.Parser`);
- :mod:`.stations` — station codes checked and created on first sight;
- :mod:`.air`, :mod:`.water`, :mod:`.sea`, :mod:`.noise`, :mod:`.sampling`, :mod:`.station` — one loader per kind;
- :mod:`.writers` — bulk writers (ORM batches, SQLite multi-row ``INSERT``, PostgreSQL binary ``COPY``);
- :mod:`.progress` — progress and heartbeat of a running batch;
- :mod:`.runner` — the batch runner and the registry of kinds.
"""
