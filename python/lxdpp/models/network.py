"""Networks (pylxd's ``Network``) over lxdpp's networks manager and network handle."""

import json

from lxdpp import _core
from lxdpp.models._model import Attribute
from lxdpp.models._native import NativeModel


class NetworkState:
    """GET /1.0/networks/<name>/state: the server's fields as attributes (pylxd 2.3's
    ``NetworkState``: addresses, counters, hwaddr, mtu, state, type, bond, bridge, vlan)."""

    def __init__(self, **kwargs):
        for key in ('addresses', 'counters', 'hwaddr', 'mtu', 'state', 'type', 'bond', 'bridge', 'vlan'):
            setattr(self, key, kwargs.get(key))


class Network(NativeModel):
    name = Attribute()
    description = Attribute()
    type = Attribute()
    config = Attribute()
    status = Attribute(readonly=True)
    locations = Attribute(readonly=True)
    managed = Attribute(readonly=True)
    used_by = Attribute(readonly=True)
    project = Attribute(readonly=True, optional=True)

    _collection = 'networks'

    @classmethod
    def _of(cls, client, pair):
        text, etag = pair
        return cls._from_data(client, json.loads(text), etag)

    @classmethod
    def all(cls, client):
        return [cls._from_data(client, json.loads(t)) for t in _core.networks_all(client._core)]

    @classmethod
    def get(cls, client, name):
        return cls._of(client, _core.network_get(client._core, name))

    @classmethod
    def create(cls, client, name, description=None, type=None, config=None):
        """POST /1.0/networks (synchronous); returns the new network as the server has it."""
        client.assert_has_api_extension('network')
        return cls._of(client, _core.network_create(client._core, name, type or '', description or '',
                                                    _strings(config)))

    def _read_native(self):
        return _core.network_get(self.client._core, self.name)

    def _save_native(self):   # PUT of description and config
        return _core.network_save(self.client._core, self.name, self.description or '', _strings(self.config),
                                  self._etag)

    def rename(self, new_name):
        """Renames on the server; returns the renamed network, read anew (pylxd)."""
        self._before_request()
        _core.network_rename(self.client._core, self.name, new_name)
        return type(self).get(self.client, new_name)

    def delete(self, wait=False):
        self._before_request()
        _core.network_delete(self.client._core, self.name)
        self.client = None

    def state(self):
        self._before_request()
        return NetworkState(**json.loads(_core.network_state(self.client._core, self.name)))

    def leases(self):
        """lxdpp extra: the DHCP leases of a managed network (dicts with hostname, hwaddr,
        address, type, location, project)."""
        self._before_request()
        return _core.network_leases(self.client._core, self.name)

    def __str__(self):
        return json.dumps(self.marshall(skip_readonly=False), indent=2)


def _strings(config):
    """A config dict as the server stores it: every value a string (pylxd sends them as given)."""
    out = {}
    for key, value in (config or {}).items():
        out[str(key)] = ('true' if value else 'false') if isinstance(value, bool) else str(value)
    return out
