"""Exporting mappings in the formats other tools read; one module per format behind interface.py."""
