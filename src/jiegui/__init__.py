"""jiegui (接轨): text mining for Chinese corpora."""

__version__ = "0.1.0"
