"""layout: a typesetting engine for Chinese broadsheet newspaper pages."""
