from .impl import run as entry
