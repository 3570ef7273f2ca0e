"""Translate stage."""
