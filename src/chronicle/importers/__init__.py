"""Importers: curated databases read into documents, entities and events."""
