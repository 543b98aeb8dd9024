"""chronicle: dated, source-attributed events in an append-only store, and
the projections rebuilt from them."""

__version__ = "0.1.0"
