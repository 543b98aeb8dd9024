"""Document text to a draft events file, by rules, offline.

The stages, in order: ``source`` (read the file, its front matter),
``sentences`` (split with offsets), ``dates`` (find temporal words and read
them with ``chronicle.fuzzydate``), ``entities`` (gazetteer and proposals),
``numbers`` (quantities with units), ``classify`` (event types and
certainty), ``facts`` (subjects and facts), ``draft`` (assemble the events),
``writer`` (YAML text) and ``evaluate`` (drafts against curated events).
"""
