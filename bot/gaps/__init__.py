"""Knowledge gaps: what the documents could not answer, so the partnership knows what to write or fix.

The questions the assistant declined and the answers people marked 👎 (with their reasons), grouped by
meaning into themes with counts and the documents they were nearest to. Question text is kept only when
`SGBOT_GAPS_KEEP_QUESTIONS` is on, and then only after `redact` has removed names, initials, dates of
birth, phone numbers, emails and case references; everything is forgotten after
`SGBOT_GAPS_RETENTION_DAYS`. Only the business unit and admins see it.
"""
