"""Offline work: read documents, chunk them by heading, embed them, index them."""
