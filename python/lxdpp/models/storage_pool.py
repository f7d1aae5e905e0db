"""Storage pools and their volumes (pylxd's ``StoragePool``, ``StorageResources``,
``StorageVolume``) over lxdpp's storage pools manager and volume handles."""

import json

from lxdpp import _core, exceptions
from lxdpp.models._model import Attribute
from lxdpp.models._native import NativeModel
from lxdpp.models.network import _strings


class StoragePool(NativeModel):
    name = Attribute(readonly=True)
    driver = Attribute(readonly=True)
    used_by = Attribute(readonly=True)
    config = Attribute()
    managed = Attribute(readonly=True)
    description = Attribute()
    status = Attribute(readonly=True)
    locations = Attribute(readonly=True)

    _collection = 'storage-pools'

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        self.resources = StorageResourcesManager(self)
        self.volumes = StorageVolumeManager(self)

    _read = ''   # the pool's JSON as last read (LXD 5.0 sends no ETag for pools)

    @classmethod
    def _of(cls, client, text, etag=''):
        obj = cls._from_data(client, json.loads(text), etag)
        object.__setattr__(obj, '_read', text)
        return obj

    @classmethod
    def all(cls, client):
        return [cls._of(client, t) for t in _core.pools_all(client._core)]

    @classmethod
    def get(cls, client, name):
        return cls._of(client, *_core.pool_get(client._core, name))

    @classmethod
    def create(cls, client, definition):
        """POST /1.0/storage-pools of ``definition`` (name, driver, description, config)."""
        client.assert_has_api_extension('storage')
        return cls._of(client, *_core.pool_create(client._core, definition['name'], definition.get('driver', ''),
                                                  definition.get('description', ''),
                                                  _strings(definition.get('config'))))

    def _loaded(self, text, etag, rollback=False):
        object.__setattr__(self, '_read', text)
        super()._loaded(text, etag, rollback)

    def _read_native(self):
        return _core.pool_get(self.client._core, self.name)

    def _save_native(self):   # PUT of description and config
        return _core.pool_save(self.client._core, self.name, self.description or '', _strings(self.config),
                               self._etag, self._read)

    def delete(self, wait=False):
        self._before_request()
        _core.pool_delete(self.client._core, self.name)
        self.client = None


class StorageResources:
    """GET /1.0/storage-pools/<pool>/resources: ``space`` and ``inodes`` ({used, total})."""

    def __init__(self, space=None, inodes=None, **_):
        self.space = space
        self.inodes = inodes


class StorageResourcesManager:
    def __init__(self, storage_pool):
        self._pool = storage_pool

    def get(self):
        pool = self._pool
        pool.client.assert_has_api_extension('resources')
        return StorageResources(**json.loads(_core.pool_resources(pool.client._core, pool.name)))


class StorageVolume(NativeModel):
    name = Attribute(readonly=True)
    type = Attribute(readonly=True)
    description = Attribute(readonly=True)
    config = Attribute()
    used_by = Attribute(readonly=True)
    location = Attribute(readonly=True)
    content_type = Attribute(readonly=True, optional=True)
    project = Attribute(readonly=True, optional=True)

    def __init__(self, client, storage_pool=None, **kwargs):
        super().__init__(client, **kwargs)
        self.storage_pool = storage_pool

    def _path(self, *more):
        """"/1.0/storage-pools/<pool>/volumes/<type>/<name>" (for put, patch and api)."""
        from lxdpp.client import _path
        return _path('storage-pools', self.storage_pool.name, 'volumes', self.type or 'custom', self.name, *more)

    def _custom(self):
        if self.type not in (None, 'custom'):
            raise exceptions.LXDAPIException(_refused('only custom volumes can be changed ({} is {})'.format(
                self.name, self.type)))

    def _read_native(self):
        self._custom()
        return _core.volume_get(self.client._core, self.storage_pool.name, self.name)

    def _save_native(self):   # PUT of config and description
        self._custom()
        return _core.volume_save(self.client._core, self.storage_pool.name, self.name, self.description or '',
                                 _strings(self.config), self._etag)

    def rename(self, _input, wait=False):
        """pylxd's rename: ``_input`` is {'name': new, 'pool': pool}. Within the volume's pool a
        rename; another pool of the same server: a move (with its snapshots), waited for
        whatever ``wait`` says, after which ``storage_pool`` is the new pool. Returns {}."""
        assert isinstance(_input, dict) and 'name' in _input and 'pool' in _input
        self._before_request()
        self._custom()
        if _input['pool'] != self.storage_pool.name:
            _core.volume_move(self.client._core, self.storage_pool.name, self.name, _input['pool'], _input['name'])
            self.storage_pool = self.client.storage_pools.get(_input['pool'])
        else:
            _core.volume_rename(self.client._core, self.storage_pool.name, self.name, _input['name'])
        object.__setattr__(self, 'name', _input['name'])
        return {}

    def delete(self, wait=False):
        self._before_request()
        self._custom()
        _core.volume_delete(self.client._core, self.storage_pool.name, self.name)
        self.client = None

    def __repr__(self):
        return 'StorageVolume({!r})'.format(self.__dict__.get('name', ''))


class StorageVolumeManager:
    """``pool.volumes``: all(), get(type, name), exists(type, name), create(definition, wait=True)."""

    def __init__(self, storage_pool):
        self._pool = storage_pool

    def _make(self, text, etag=''):
        return StorageVolume._from_data(self._pool.client, json.loads(text), etag, self._pool)

    def all(self):
        return [self._make(t) for t in _core.volumes_all(self._pool.client._core, self._pool.name)]

    def get(self, _type, name):
        if _type != 'custom':
            for volume in self.all():
                if volume.type == _type and volume.name == name:
                    return volume
            raise exceptions.NotFound(_refused('not found', 404))
        return self._make(*_core.volume_get(self._pool.client._core, self._pool.name, name))

    def exists(self, _type, name):
        try:
            self.get(_type, name)
            return True
        except exceptions.NotFound:
            return False

    def create(self, definition, wait=True):
        """A custom volume from ``definition`` (name, description, content_type, config)."""
        assert isinstance(definition, dict) and 'name' in definition
        text, etag = _core.volume_create(self._pool.client._core, self._pool.name, definition['name'],
                                         definition.get('description', ''), definition.get('content_type', ''),
                                         _strings(definition.get('config')))
        return self._make(text, etag)


def _refused(message, status=400):
    return exceptions._ErrorResponse(status, {'type': 'error', 'error': message, 'error_code': status,
                                              'metadata': None}, '')
