"""lxdpp for Python: pylxd's API on lxdpp's native core. ``import lxdpp as pylxd``."""

from lxdpp import events, exceptions, managers, models  # noqa: F401
from lxdpp.client import Client, EventType  # noqa: F401

__version__ = '0.1.0'
