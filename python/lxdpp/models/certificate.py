"""The trust store (pylxd's ``Certificate``) over lxdpp's certificates manager."""

import json

from lxdpp import _core
from lxdpp.models._model import Attribute
from lxdpp.models._native import NativeModel


class Certificate(NativeModel):
    certificate = Attribute()
    fingerprint = Attribute()
    type = Attribute()
    name = Attribute()
    restricted = Attribute(optional=True)
    projects = Attribute(optional=True)
    description = Attribute(optional=True)

    _collection = 'certificates'
    _key = 'fingerprint'

    @classmethod
    def all(cls, client):
        return [cls._from_data(client, json.loads(t)) for t in _core.certificates_all(client._core)]

    @classmethod
    def get(cls, client, fingerprint):
        text, etag = _core.certificate_get(client._core, fingerprint)
        return cls._from_data(client, json.loads(text), etag)

    @classmethod
    def create(cls, client, password, cert_data, cert_type='client', name='', projects=None, restricted=False):
        """Adds ``cert_data`` (PEM, bytes or str) to the trust store; returns it as stored.

        lxdpp needs a trusted client for this (the password is not sent: a trusted client
        needs none; an untrusted one adds its own certificate with ``client.authenticate``)."""
        pem = cert_data.decode('utf-8') if isinstance(cert_data, bytes) else cert_data
        _core.certificate_add(client._core, pem, name, cert_type, restricted, list(projects or []))
        return cls.get(client, _core.certificate_fingerprint(pem))

    def _read_native(self):
        return _core.certificate_get(self.client._core, self.fingerprint)

    def _save_native(self):   # PUT of name, restricted and projects
        return _core.certificate_save(self.client._core, self.fingerprint, self.name or '', bool(self.restricted),
                                      list(self.projects or []), self._etag)

    def delete(self, wait=False):
        self._before_request()
        _core.certificate_delete(self.client._core, self.fingerprint)
        self.client = None
