"""Retention: what the assistant forgets, and when (`sgbot purge`)."""
