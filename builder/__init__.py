"""A static-site generator for readable, structured editions of Chinese government reports."""

__version__ = "0.1.0"
