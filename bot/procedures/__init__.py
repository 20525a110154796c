"""Procedures across areas: versions and what changed, subscriptions to changes, alignment.

- `diff`: a document as sections, and the section-level difference between two versions.
- `versions`: recording a version (and its difference) each time ingest finds a document changed.
- `subscriptions`: channels that want a "what changed" notice, and the notices owed to them.
"""
