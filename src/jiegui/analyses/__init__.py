"""The analyses: each takes the corpus's documents and returns typed results (`jiegui.models`)."""
