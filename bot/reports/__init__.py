"""The quarterly "How are we doing?" safeguarding effectiveness report (Salford's template).

`figures` computes the performance figures from the database, `charts` draws them (matplotlib, SVG),
`narrative` keeps the sections people write, `render` puts them in the template as HTML or PDF.
"""
