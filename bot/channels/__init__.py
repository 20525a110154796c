"""Channels: translate platform events into `Message`s and render `Reply`s; nothing else."""
