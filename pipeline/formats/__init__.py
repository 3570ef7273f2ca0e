"""The edges: the only code that touches bytes, files or the network."""
