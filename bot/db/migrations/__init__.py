"""Alembic migrations for the whole schema (see bot/db/schema.py).

`HEAD` names the latest revision so that a process whose database is already up
to date can check it with one query, without importing Alembic (which costs a
few hundred milliseconds on every CLI start). A test checks it matches Alembic's head.
"""

HEAD = "0018"
