"""Images, profiles and projects: pylxd's models over one JSON request per call."""

import os
import shutil
import tempfile

from lxdpp import _core
from lxdpp.models._model import Attribute, Model


def _path(*segments):
    from lxdpp.client import _path as p
    return p(*segments)


class _Named(Model):
    """A model whose key is its name, under ``/1.0/<_collection>`` (profiles, projects)."""

    def rename(self, new_name, wait=False):
        """Renames on the server; returns the renamed object, fetched anew (pylxd)."""
        self._before_request()
        self.client._request('POST', self._path(), {'name': new_name}, wait=True)
        return type(self).get(self.client, new_name)


class Profile(_Named):
    _collection = 'profiles'
    config = Attribute()
    description = Attribute()
    devices = Attribute()
    name = Attribute(readonly=True)
    used_by = Attribute(readonly=True)
    project = Attribute(readonly=True, optional=True)

    @classmethod
    def create(cls, client, name, config=None, devices=None, description=None, wait=False):
        body = {'name': name, 'config': config or {}, 'devices': devices or {}}
        if description is not None:
            body['description'] = description
        client._request('POST', '/1.0/profiles', body, wait=wait)
        return cls.get(client, name)


class Project(_Named):
    _collection = 'projects'
    name = Attribute(readonly=True)
    config = Attribute()
    description = Attribute()
    used_by = Attribute(readonly=True)

    @classmethod
    def create(cls, client, name, description=None, config=None):
        body = {'name': name, 'config': config or {}}
        if description is not None:
            body['description'] = description
        client._request('POST', '/1.0/projects', body)
        return cls.get(client, name)


class Image(Model):
    aliases = Attribute(readonly=True)
    auto_update = Attribute(optional=True)
    architecture = Attribute(readonly=True)
    cached = Attribute(readonly=True)
    created_at = Attribute(readonly=True)
    expires_at = Attribute(readonly=True)
    filename = Attribute(readonly=True)
    fingerprint = Attribute(readonly=True)
    last_used_at = Attribute(readonly=True)
    properties = Attribute()
    public = Attribute()
    size = Attribute(readonly=True)
    uploaded_at = Attribute(readonly=True)
    update_source = Attribute(readonly=True)
    type = Attribute(readonly=True)
    project = Attribute(readonly=True, optional=True)
    profiles = Attribute(readonly=True)

    _collection = 'images'
    _key = 'fingerprint'

    @classmethod
    def create(cls, client, image_data, metadata=None, public=False, wait=True, fingerprint=None):
        """Uploads an image (a unified tarball; with ``metadata``, a split image whose
        ``image_data`` is the rootfs), bytes or a file object, streamed from a temporary
        file; returns it once the server has it (pylxd: ``wait`` is ignored). ``fingerprint``:
        the SHA-256 the upload must have (the server refuses other bytes)."""
        with tempfile.TemporaryDirectory(prefix='lxdpp-image-') as tmp:
            rootfs = _spool(image_data, os.path.join(tmp, 'rootfs'))
            meta = _spool(metadata, os.path.join(tmp, 'metadata')) if metadata is not None else ''
            found = _core.image_import(client._core, rootfs, meta, public, fingerprint or '')
        return cls.get(client, found)

    @classmethod
    def create_from_simplestreams(cls, client, server, alias, public=False, auto_update=False, wait=True):
        """The server pulls image ``alias`` from the simplestreams server at ``server`` (a URL).
        With ``wait``, the new Image; otherwise the operation's URL (pylxd 2.4)."""
        source = {'type': 'image', 'mode': 'pull', 'server': server, 'protocol': 'simplestreams',
                  'fingerprint': alias}
        return cls._create_from_source(client, _remote_config(source, public, auto_update), wait)

    @classmethod
    def create_from_url(cls, client, url, public=False, auto_update=False, wait=True):
        """The server pulls the image that ``url`` points to (its LXD-Image-URL header).
        With ``wait``, the new Image; otherwise the operation's URL (pylxd 2.4)."""
        source = {'type': 'url', 'mode': 'pull', 'url': url}
        return cls._create_from_source(client, _remote_config(source, public, auto_update), wait)

    @classmethod
    def _create_from_source(cls, client, config, wait):
        _, operation, metadata, _ = client._request('POST', '/1.0/images', config, wait=wait)
        if not wait:
            return operation
        return cls.get(client, metadata['metadata']['fingerprint'])

    def export(self):
        """The image file (a unified image's tarball) as an open temporary file at offset 0."""
        self._before_request()
        out = tempfile.TemporaryFile()
        with tempfile.TemporaryDirectory(prefix='lxdpp-export-') as tmp:
            split, files = _core.image_export(self.client._core, self.fingerprint, tmp)
            if split:
                out.close()
                raise NotImplementedError('lxdpp: export() of a split image (metadata and rootfs files) '
                                          'is not supported; use the C++ image::export_to')
            with open(files[0], 'rb') as f:
                shutil.copyfileobj(f, out)
        out.seek(0)
        return out

    @classmethod
    def get_by_alias(cls, client, alias):
        _, _, metadata, _ = client._request('GET', _path('images', 'aliases', alias))
        return cls.get(client, metadata['target'])

    @classmethod
    def exists(cls, client, fingerprint, alias=False):
        try:
            (cls.get_by_alias if alias else cls.get)(client, fingerprint)
            return True
        except cls.NotFound:
            return False

    def copy(self, new_client, public=None, auto_update=None, wait=False, alias=None):
        """Copies this image to ``new_client``'s server (LXD or Incus, either way) and returns
        it there. ``public`` and ``auto_update`` default to this image's; ``alias`` is created
        on the target. lxdpp's copy blocks until the image is there whatever ``wait`` says
        (pylxd returns None unless ``wait``): the target pulls it from this server's network
        address, or lxdpp relays it through this machine when this server has none."""
        self._before_request()
        if public is None:
            public = bool(self.public)
        if auto_update is None:
            auto_update = bool(self.auto_update)
        found = _core.image_copy(new_client._core, self.client._core, self.fingerprint, bool(public),
                                 bool(auto_update), alias or '')
        return type(self).get(new_client, found)

    def add_alias(self, name, description):
        self._before_request()
        body = {'name': name, 'description': description, 'target': self.fingerprint}
        self.client._request('POST', '/1.0/images/aliases', body)
        self.aliases.append({'name': name, 'description': description})
        self._dirty.discard('aliases')

    def delete_alias(self, name):
        self._before_request()
        self.client._request('DELETE', _path('images', 'aliases', name))
        object.__setattr__(self, 'aliases', [a for a in self.aliases if a['name'] != name])


def _remote_config(source, public, auto_update):
    """POST /1.0/images's body for an image the server fetches itself, as pylxd sends it."""
    return {'public': public, 'auto_update': auto_update, 'source': source}


def _spool(data, path):
    """Writes bytes or a file object's content to ``path``; returns ``path``."""
    with open(path, 'wb') as f:
        if isinstance(data, (bytes, bytearray, memoryview)):
            f.write(data)
        else:
            shutil.copyfileobj(data, f)
    return path


class Operation:
    """A server operation (pylxd's ``Operation``: the server's fields as attributes)."""

    def __init__(self, client, **kwargs):
        self._client = client
        for key, value in kwargs.items():
            setattr(self, key, value)

    @staticmethod
    def extract_operation_id(s):
        return s.rstrip('/').split('/')[-1].split('?')[0]

    @classmethod
    def get(cls, client, operation_id):
        _, _, metadata, _ = client._request('GET', _path('operations', cls.extract_operation_id(operation_id)))
        return cls(client, **metadata)

    @classmethod
    def wait_for_operation(cls, client, operation_id):
        op = cls.get(client, operation_id)
        op.wait()
        return op

    def wait(self):
        """Waits (no deadline) and updates this object; raises LXDAPIException if it failed."""
        import json
        final = json.loads(self._client._core.wait_operation(self.id, None))
        for key, value in final.items():
            setattr(self, key, value)
        if final.get('status') != 'Success':
            from lxdpp.exceptions import _from_core
            raise _from_core('operation_failed', 200, final.get('err', ''), '', self.id, final.get('err', ''))
        return True
