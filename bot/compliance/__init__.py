"""Published-arrangements compliance: does an arrangements document cover each required item?

`checklist` reads the required-items lists kept as data in prompts/arrangements/;
`check` finds, for each item, the passages that cover it (cited by section) with
a confidence, or "not found"; `render` writes the result as HTML, CSV or JSON.
"""
