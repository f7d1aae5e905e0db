"""Instances (containers and virtual machines), their snapshots, files and commands."""

import codecs
import json
from typing import NamedTuple, Any

from lxdpp import _core
from lxdpp.models._model import Attribute, Model
from lxdpp.models import files as _files


class ExecuteResult(NamedTuple):
    exit_code: int
    stdout: Any
    stderr: Any


_InstanceExecuteResult = ExecuteResult       # pylxd 2.4's name
_ContainerExecuteResult = ExecuteResult      # pylxd 2.2's name
ContainerExecuteResult = ExecuteResult


class InstanceState:
    """``instance.state()``: the top-level keys of GET .../state as attributes."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __iter__(self):
        return iter(self.__dict__.items())


ContainerState = InstanceState


def _payload(stdin_payload, stdin_encoding):
    if stdin_payload is None:
        return b''
    if isinstance(stdin_payload, str):
        return stdin_payload.encode(stdin_encoding)
    if isinstance(stdin_payload, (bytes, bytearray, memoryview)):
        return bytes(stdin_payload)
    parts = []
    for chunk in stdin_payload:   # files (line by line) and generators
        parts.append(chunk.encode(stdin_encoding) if isinstance(chunk, str) else bytes(chunk))
    return b''.join(parts)


class _Output:
    """One output stream: buffered, and passed to its handler chunk by chunk (decoded
    incrementally, so a character split across chunks is never an error)."""

    def __init__(self, handler, encoding, decode):
        self.handler = handler
        self.decoder = codecs.getincrementaldecoder(encoding or 'utf-8')() if decode else None
        self.parts = []

    def feed(self, data):
        if self.decoder is not None:
            data = self.decoder.decode(data)
        self.parts.append(data)
        if self.handler is not None and data:
            self.handler(data)

    def result(self):
        if self.decoder is not None:
            tail = self.decoder.decode(b'', final=True)
            self.parts.append(tail)
            return ''.join(self.parts)
        return b''.join(self.parts)


class Instance(Model):
    """An instance (pylxd's ``Instance``); ``Container`` and ``VirtualMachine`` are its kinds."""

    architecture = Attribute()
    config = Attribute()
    created_at = Attribute()
    devices = Attribute()
    ephemeral = Attribute()
    expanded_config = Attribute()
    expanded_devices = Attribute()
    name = Attribute(readonly=True)
    description = Attribute()
    profiles = Attribute()
    status = Attribute(readonly=True)
    last_used_at = Attribute(readonly=True)
    location = Attribute(readonly=True)
    status_code = Attribute(readonly=True)
    stateful = Attribute(readonly=True)
    type = Attribute(readonly=True)
    project = Attribute(readonly=True, optional=True)

    _collection = 'instances'
    _type = None          # the kind this model's manager creates and lists (None: any)
    _pending = None       # id of the create operation not waited for yet

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        self.snapshots = SnapshotManager(client, self)
        self.files = _files.FilesManager(self)

    def _before_request(self):
        super()._before_request()
        pending = self.__dict__.get('_pending')
        if pending:   # create(wait=False): the first use waits for the instance to exist
            object.__setattr__(self, '_pending', None)
            if not isinstance(pending, str):   # a native operation (migrate)
                pending.wait(None)
                return
            final = json.loads(self.client._core.wait_operation(pending, None))
            if final.get('status') != 'Success':
                from lxdpp.exceptions import _from_core
                raise _from_core('operation_failed', 200, final.get('err', ''), '', pending, final.get('err', ''))

    # --- the manager's classmethods (pylxd binds them to client.<kind>) ---
    @classmethod
    def all(cls, client, recursion=0, fields=None):
        return [cls._from_data(client, data) for data in map(json.loads, client._core.list_instances(
            cls._type or '', recursion >= 2))]

    @classmethod
    def create(cls, client, config, wait=False, target=None):
        body = dict(config)
        if cls._type and 'type' not in body:
            body['type'] = cls._type
        query = [('target', target)] if target else []
        _, operation, _, _ = client._request('POST', '/1.0/instances', body, query, wait=wait)
        obj = cls(client, name=body['name'])
        if not wait and operation:
            object.__setattr__(obj, '_pending', operation.rsplit('/', 1)[-1])
        return obj

    # --- verbs ---
    def rename(self, name, wait=False):
        self._before_request()
        self.client._request('POST', self._path(), {'name': name}, wait=wait)
        object.__setattr__(self, 'name', name)

    def _set_state(self, action, timeout=30, force=True, wait=False):
        self._before_request()
        body = {'action': action, 'timeout': timeout, 'force': force}
        self.client._request('PUT', self._path('state'), body, wait=wait)
        if wait:
            if action == 'stop' and self.__dict__.get('ephemeral'):
                self.client = None
            else:
                self.sync()

    def start(self, timeout=30, force=True, wait=False):
        return self._set_state('start', timeout, force, wait)

    def stop(self, timeout=30, force=True, wait=False):
        return self._set_state('stop', timeout, force, wait)

    def restart(self, timeout=30, force=True, wait=False):
        return self._set_state('restart', timeout, force, wait)

    def freeze(self, timeout=30, force=True, wait=False):
        return self._set_state('freeze', timeout, force, wait)

    def unfreeze(self, timeout=30, force=True, wait=False):
        return self._set_state('unfreeze', timeout, force, wait)

    def state(self):
        self._before_request()
        _, _, metadata, _ = self.client._request('GET', self._path('state'))
        return InstanceState(**metadata)

    def restore_snapshot(self, snapshot_name, wait=False, stateful=False):
        self._before_request()
        body = {'restore': snapshot_name}
        if stateful:
            body['stateful'] = True
        from lxdpp.client import _Response, _dumps
        kind, operation, metadata, _ = self.client._request('PUT', self._path(), body, wait=wait)
        envelope = {'type': kind, 'operation': operation, 'metadata': metadata}
        return _Response(200 if kind == 'sync' else 202, [('Content-Type', 'application/json')],
                         _dumps(envelope).encode('utf-8'), self._path())

    def publish(self, public=False, wait=False, compression_algorithm=None):
        source = {'type': self.__dict__.get('type') or self._type or 'container', 'name': self.name}
        return _publish(self, source, public, wait, compression_algorithm)

    def migrate(self, new_client, live=False, wait=False):
        """Moves this instance to ``new_client``'s server (lxdpp chooses pull, push or a
        relay through this machine); returns the instance there. wait=False returns at once:
        the returned object's first use waits for the move (as after ``create``)."""
        self._before_request()
        op = _core.migrate(self.client._core, self.name, new_client._core, live)
        moved = type(self)(new_client, name=self.name)
        if wait:
            op.wait(None)
            return type(self).get(new_client, self.name)
        object.__setattr__(moved, '_pending', op)
        return moved

    def execute(self, commands, environment=None, encoding=None, decode=True, stdin_payload=None,
                stdin_encoding='utf-8', stdout_handler=None, stderr_handler=None, user=None, group=None,
                cwd=None):
        """Runs a command; ExecuteResult(exit_code, stdout, stderr), str unless decode=False.
        Handlers get each chunk as it arrives, on this thread; the result holds all output."""
        if isinstance(commands, str):
            raise TypeError('First argument must be a list.')
        self._before_request()
        args = _core.ExecArgs()
        args.argv = [str(c) for c in commands]
        args.environment = {str(k): str(v) for k, v in (environment or {}).items()}
        args.cwd = cwd or ''
        args.user = user
        args.group = group
        args.stdin_data = _payload(stdin_payload, stdin_encoding)
        out = _Output(stdout_handler, encoding, decode)
        err = _Output(stderr_handler, encoding, decode)
        if stdout_handler is None and stderr_handler is None:
            code, o, e = _core.execute(self.client._core, self.name, args, None)
            if decode:
                return ExecuteResult(code, o.decode(encoding or 'utf-8'), e.decode(encoding or 'utf-8'))
            return ExecuteResult(code, o, e)
        code, _, _ = _core.execute(self.client._core, self.name, args,
                                   lambda stream, data: (out if stream == 1 else err).feed(data))
        return ExecuteResult(code, out.result(), err.result())

    def raw_interactive_execute(self, commands, environment=None, user=None, group=None, cwd=None):
        """Starts ``commands`` on a terminal and leaves its websockets to the caller, as pylxd:
        ``{'ws': '/1.0/operations/<id>/websocket?secret=<fd 0>', 'control': '...?secret=...'}``
        (paths on this client's server; the secrets are the only credential). The operation
        runs until the caller connects and the command ends, or until it is cancelled."""
        if isinstance(commands, str):
            raise TypeError('First argument must be a list.')
        self._before_request()
        body = {'command': [str(c) for c in commands],
                'environment': {str(k): str(v) for k, v in (environment or {}).items()},
                'wait-for-websocket': True, 'interactive': True}
        for key, value in (('user', user), ('group', group), ('cwd', cwd)):
            if value is not None:
                body[key] = value
        _, operation, metadata, _ = self.client._request('POST', self._path('exec'), body)
        fds = metadata['metadata']['fds']
        path = '/1.0/operations/' + operation.split('?')[0].split('/')[-1] + '/websocket'
        return {'ws': '{}?secret={}'.format(path, fds['0']),
                'control': '{}?secret={}'.format(path, fds['control'])}


def _publish(obj, source, public, wait, compression_algorithm):
    body = {'public': public, 'source': source}
    if compression_algorithm:
        body['compression_algorithm'] = compression_algorithm
    _, _, metadata, _ = obj.client._request('POST', '/1.0/images', body, wait=wait)
    if not wait:
        return None
    return obj.client.images.get(metadata['metadata']['fingerprint'])


class Container(Instance):
    _type = 'container'


class VirtualMachine(Instance):
    _type = 'virtual-machine'


class Snapshot(Model):
    """A snapshot of an instance (``instance.snapshots``)."""

    name = Attribute(readonly=True)
    created_at = Attribute(readonly=True)
    stateful = Attribute(readonly=True)
    expires_at = Attribute()

    def __init__(self, client, instance=None, **kwargs):
        if 'name' in kwargs:
            kwargs['name'] = kwargs['name'].split('/')[-1]
        super().__init__(client, **kwargs)
        object.__setattr__(self, 'instance', instance)
        object.__setattr__(self, 'container', instance)

    def _path(self):
        return self.instance._path('snapshots', self.__dict__['name'])

    @classmethod
    def all(cls, client, instance):
        _, _, metadata, _ = client._request('GET', instance._path('snapshots'), query=[('recursion', '1')])
        return [cls._from_data(client, data, '', instance) for data in metadata]

    @classmethod
    def get(cls, client, instance, name):
        _, _, metadata, etag = client._request('GET', instance._path('snapshots', name))
        return cls._from_data(client, metadata, etag, instance)

    @classmethod
    def exists(cls, client, instance, name):
        try:
            cls.get(client, instance, name)
            return True
        except cls.NotFound:
            return False

    @classmethod
    def create(cls, client, instance, name, stateful=False, wait=False):
        instance._before_request()
        client._request('POST', instance._path('snapshots'), {'name': name, 'stateful': stateful}, wait=wait)
        return cls(client, instance, name=name)

    def rename(self, new_name, wait=False):
        self._before_request()
        self.client._request('POST', self._path(), {'name': new_name}, wait=wait)
        object.__setattr__(self, 'name', new_name)

    def restore(self, wait=False):
        return self.instance.restore_snapshot(self.name, wait)

    def publish(self, public=False, wait=False, compression_algorithm=None):
        source = {'type': 'snapshot', 'name': '{}/{}'.format(self.instance.name, self.name)}
        return _publish(self, source, public, wait, compression_algorithm)


class SnapshotManager:
    """``instance.snapshots``: all/get/exists/create, bound to the instance."""

    def __init__(self, client, instance):
        self._client = client
        self._instance = instance

    def all(self):
        return Snapshot.all(self._client, self._instance)

    def get(self, name):
        return Snapshot.get(self._client, self._instance, name)

    def exists(self, name):
        return Snapshot.exists(self._client, self._instance, name)

    def create(self, name, stateful=False, wait=False):
        return Snapshot.create(self._client, self._instance, name, stateful, wait)
