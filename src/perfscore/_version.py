"""The installed version of perfscore."""

__version__ = "0.1.0.dev0"
