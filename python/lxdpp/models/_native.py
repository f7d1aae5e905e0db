"""Models read and saved through lxdpp's C++ handles (networks, storage, certificates)."""

import json

from lxdpp.models._model import Model


class NativeModel(Model):
    """``sync``/``save`` over two native calls a subclass names: ``_read_native()`` and
    ``_save_native()``, each returning the server's JSON text and ETag. ``save`` sends the
    ETag of the last read (If-Match), then holds what the server has."""

    def _read_native(self):
        raise NotImplementedError

    def _save_native(self):
        raise NotImplementedError

    def _loaded(self, text, etag, rollback=False):
        object.__setattr__(self, '_etag', etag)
        self._load(json.loads(text), rollback)

    def sync(self, rollback=False):
        self._before_request()
        self._loaded(*self._read_native(), rollback)

    def save(self, wait=False):
        self._before_request()
        if not self.__dict__.get('_synced'):
            self.sync()
        text, etag = self._save_native()
        self._dirty.clear()
        self._loaded(text, etag)
