"""Questions and answers: hybrid retrieval over the knowledge index, grounded answers."""
