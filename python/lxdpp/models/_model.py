"""pylxd's model machinery: declared attributes, dirty tracking, lazy sync, save/delete."""

import os
import warnings

from lxdpp import exceptions


class Attribute:
    """A server field of a model (pylxd's ``model.Attribute``)."""

    def __init__(self, validator=None, readonly=False, optional=False):
        self.validator = validator
        self.readonly = readonly
        self.optional = optional


class ModelType(type):
    """Collects the class's Attributes (and its bases') into ``__attributes__``."""

    def __new__(mcs, name, bases, attrs):
        attributes = {}
        for base in bases:
            attributes.update(getattr(base, '__attributes__', {}))
        for key, value in list(attrs.items()):
            if isinstance(value, Attribute):
                attributes[key] = value
                del attrs[key]
        attrs['__attributes__'] = attributes
        return super().__new__(mcs, name, bases, attrs)


class Model(metaclass=ModelType):
    """A server object. Attributes the server did not send read as None; reading any
    declared attribute of an object made from its name alone fetches it first (``sync``)."""

    NotFound = exceptions.NotFound
    _etag = ''
    _collection = ''     # the object's collection under /1.0 ("instances", "images", ...)
    _key = 'name'        # the attribute naming the object in its path

    def __init__(self, client, **kwargs):
        object.__setattr__(self, '_dirty', set())
        object.__setattr__(self, '_synced', False)
        self.client = client
        for key, value in kwargs.items():
            self._set(key, value)
        self._dirty.clear()

    def _set(self, key, value):
        if key in self.__attributes__:
            object.__setattr__(self, key, value)
        elif os.environ.get('PYLXD_WARNINGS') == 'always':
            warnings.warn('Attempted to set unknown attribute "{}" on instance of "{}"'.format(
                key, type(self).__name__))

    @classmethod
    def _from_data(cls, client, data, etag='', *parents):
        """A model holding the server's whole object (no lazy sync needed)."""
        obj = cls(client, *parents, **data)
        object.__setattr__(obj, '_etag', etag)
        object.__setattr__(obj, '_synced', True)
        return obj

    def __getattr__(self, name):   # only for names not set yet
        attributes = type(self).__attributes__
        if name in attributes and not self.__dict__.get('_synced') and self.__dict__.get('client') is not None:
            self.sync()
            if name in self.__dict__:
                return self.__dict__[name]
        if name in attributes:
            return None
        raise AttributeError('{} has no attribute {!r}'.format(type(self).__name__, name))

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if name in type(self).__attributes__:
            self._dirty.add(name)

    @property
    def dirty(self):
        return len(self._dirty) > 0

    def __iter__(self):
        for name in self.__attributes__:
            yield name, getattr(self, name)

    def __repr__(self):
        key = self.__dict__.get('name', self.__dict__.get('fingerprint', ''))
        return '{}({!r})'.format(type(self).__name__, key)

    def _path(self, *more):
        """"/1.0/<collection>/<key>[/more...]" (segments percent-escaped)."""
        from lxdpp.client import _path
        return _path(self._collection, self.__dict__[self._key], *more)

    # --- the manager's classmethods (pylxd binds them to client.<manager>) ---
    @classmethod
    def all(cls, client):
        _, _, metadata, _ = client._request('GET', '/1.0/' + cls._collection, query=[('recursion', '1')])
        return [cls._from_data(client, data) for data in metadata]

    @classmethod
    def get(cls, client, key):
        from lxdpp.client import _path
        _, _, metadata, etag = client._request('GET', _path(cls._collection, key))
        return cls._from_data(client, metadata, etag)

    @classmethod
    def exists(cls, client, key):
        try:
            cls.get(client, key)
            return True
        except cls.NotFound:
            return False

    def _load(self, metadata, rollback=False):
        for key, value in metadata.items():
            if key in self.__attributes__ and (rollback or key not in self._dirty):
                object.__setattr__(self, key, value)
                self._dirty.discard(key)
        if rollback:
            self._dirty.clear()
        object.__setattr__(self, '_synced', True)

    def sync(self, rollback=False):
        """Reads the object from the server (fields changed locally are kept unless rollback)."""
        self._before_request()
        _, _, metadata, etag = self.client._request('GET', self._path())
        object.__setattr__(self, '_etag', etag)
        self._load(metadata, rollback)

    def rollback(self):
        self.sync(rollback=True)

    def _before_request(self):
        if self.__dict__.get('client') is None:
            raise AttributeError("'NoneType' object has no attribute 'api' (the object was deleted)")

    def marshall(self, skip_readonly=True):
        out = {}
        for name, attr in self.__attributes__.items():
            if (attr.readonly and skip_readonly) or name not in self.__dict__:
                continue
            out[name] = self.__dict__[name]
        return out

    def save(self, wait=False):
        """PUT of the current attribute values, with the ETag of the last read (If-Match):
        a change made by someone else since then is refused (LXDAPIException, status 412)."""
        self._before_request()
        if not self.__dict__.get('_synced'):
            self.sync()
        self.client._request('PUT', self._path(), self.marshall(), etag=self._etag, wait=wait)
        object.__setattr__(self, '_etag', '')
        self._dirty.clear()

    def put(self, put_object, wait=False):
        self.client._request('PUT', self._path(), put_object, wait=wait)
        self.sync(rollback=True)

    def patch(self, patch_object, wait=False):
        self.client._request('PATCH', self._path(), patch_object, wait=wait)
        self.sync(rollback=True)

    def delete(self, wait=False):
        self._before_request()
        self.client._request('DELETE', self._path(), wait=wait)
        self.client = None

    @property
    def api(self):
        node = self.client.api
        for segment in self._path().split('/')[2:]:
            node = node[_unquote(segment)]
        return node


def _unquote(segment):
    from urllib.parse import unquote
    return unquote(segment)
