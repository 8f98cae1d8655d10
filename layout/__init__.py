"""layout: a typesetting engine for Chinese broadsheet newspaper pages."""
from . import startup as _startup

_startup.install()
