"""`python -m layout` runs the command line."""
from .cli import run

run()
