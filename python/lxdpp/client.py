"""``lxdpp.Client``: pylxd's Client over lxdpp's native core (one C++ lxd::client)."""

import json
import os
import warnings
from enum import Enum
from urllib.parse import quote, urlparse

from lxdpp import _core, exceptions, managers

_SYSTEM_CA = '/etc/ssl/certs/ca-certificates.crt'


class EventType(Enum):
    All = 'all'
    Operation = 'operation'
    Logging = 'logging'
    Lifecycle = 'lifecycle'


class _Headers(dict):
    """Response headers looked up case-insensitively, as ``requests`` does."""

    def __init__(self, pairs):
        super().__init__()
        for name, value in pairs:
            super().__setitem__(name.lower(), value)

    def __getitem__(self, name):
        return super().__getitem__(name.lower())

    def __contains__(self, name):
        return super().__contains__(name.lower())

    def get(self, name, default=None):
        return super().get(name.lower(), default)


class _Response:
    """The parts of a ``requests.Response`` pylxd programs read (``client.api`` answers):
    the server's status, headers and body as sent (a file GET's bytes are ``content``)."""

    def __init__(self, status_code, headers, content, url):
        self.status_code = status_code
        self.headers = _Headers(headers)
        self.content = content
        self.url = url
        self.reason = {200: 'OK', 201: 'Created', 202: 'Accepted'}.get(status_code, '')
        self.ok = True

    def json(self):
        """The body as JSON; ValueError (as ``requests``) when it is not (a file's bytes)."""
        return json.loads(self.content)

    @property
    def text(self):
        return self.content.decode('utf-8', errors='replace')

    def raise_for_status(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _APINode:
    """pylxd's raw interface: ``client.api.instances['c1'].state.put(json=...)``.

    Each attribute or item adds a path segment (items are percent-escaped); get/post/put/
    patch/delete send one request and return a response with ``status_code``, ``headers``,
    ``content`` and ``json()``. Bodies are JSON (``json=``) or bytes (``data=``, held in
    memory: ``instance.files`` streams); ``headers=`` may hold X-LXD-*/X-Incus-*,
    Content-Type and If-Match only.
    """

    def __init__(self, client, path):
        self._client = client
        self._path = path

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _APINode(self._client, self._path + '/' + name.replace('_', '-'))

    def __getitem__(self, item):
        return _APINode(self._client, self._path + '/' + quote(str(item), safe=''))

    def __repr__(self):
        return '_APINode({})'.format(self._path)

    def _call(self, method, json=None, params=None, data=None, headers=None, **kwargs):
        query = [(str(k), str(v)) for k, v in (params or {}).items()]
        path = self._path
        if method == 'POST' and kwargs.get('target'):
            query.append(('target', kwargs['target']))
        content_type = ''
        if data is not None:
            if json is not None:
                raise ValueError('client.api: give json= or data=, not both')
            body = data.encode('utf-8') if isinstance(data, str) else bytes(data)
            if not any(str(k).lower() == 'content-type' for k in (headers or {})):
                content_type = 'application/octet-stream'
        else:
            body = b'' if json is None else _dumps(json).encode('utf-8')
        extra = [(str(k), str(v)) for k, v in (headers or {}).items()]
        status, fields, content = self._client._core.raw_bytes(method, path, query, body, content_type, extra)
        return _Response(status, fields, content, path)

    def get(self, *args, **kwargs):
        if self._path.endswith('/wait') and '/operations/' in self._path:
            op_id = self._path.split('/')[-2]
            meta = json.loads(self._client._core.wait_operation(op_id, kwargs.get('timeout')))
            envelope = {'type': 'sync', 'status': 'Success', 'status_code': 200,
                        'operation': '', 'error_code': 0, 'error': '', 'metadata': meta}
            return _Response(200, [('Content-Type', 'application/json')], _dumps(envelope).encode('utf-8'),
                             self._path)
        return self._call('GET', **kwargs)

    def post(self, *args, **kwargs):
        return self._call('POST', **kwargs)

    def put(self, *args, **kwargs):
        return self._call('PUT', **kwargs)

    def patch(self, *args, **kwargs):
        return self._call('PATCH', **kwargs)

    def delete(self, *args, **kwargs):
        return self._call('DELETE', **kwargs)


def _dumps(obj):
    return json.dumps(obj, separators=(',', ':'))


def _loads(text):
    return json.loads(text) if text else None


def _read(path):
    with open(path, 'r', encoding='utf-8') as f:
        return f.read()


def _unix_socket(endpoint):
    if endpoint is not None:
        if not os.path.exists(endpoint):
            raise exceptions.ClientConnectionFailed('no such socket: {}'.format(endpoint))
        return endpoint
    if os.environ.get('LXD_DIR'):
        return os.path.join(os.environ['LXD_DIR'], 'unix.socket')
    try:
        return _core.find_unix_socket()
    except exceptions.ClientConnectionFailed:
        raise
    except Exception as e:   # pragma: no cover - find_unix_socket raises connection_failed
        raise exceptions.ClientConnectionFailed(str(e))


def _tls(endpoint, cert, verify):
    """lxdpp's TLS options for pylxd's ``cert`` and ``verify`` (see python/README.md)."""
    tls = {}
    if cert is None:
        base = os.path.expanduser('~/.config/lxc')
        pair = (os.path.join(base, 'client.crt'), os.path.join(base, 'client.key'))
        cert = pair if all(os.path.exists(p) for p in pair) else None
    if cert is not None:
        tls['client_cert_pem'], tls['client_key_pem'] = _read(cert[0]), _read(cert[1])
    host = urlparse(endpoint).hostname or ''
    servercert = os.path.expanduser('~/.config/lxc/servercerts/{}.crt'.format(host))
    if isinstance(verify, str):
        tls['server_cert_pem'] = _read(verify)           # pylxd 2.4: pin this certificate
    elif verify and os.path.exists(servercert):
        tls['server_cert_pem'] = _read(servercert)
    elif verify:
        tls['ca_pem'] = _read(_SYSTEM_CA)
    else:
        warnings.warn('lxdpp: verify=False pins the certificate the server shows now (trust on first use)')
        tls['server_cert_pem'] = _core.fetch_server_certificate(endpoint)
    return cert, tls


class Client:
    """A client of one LXD or Incus server (pylxd's ``Client``, same arguments).

    ``endpoint``: None (the local Unix socket: $LXD_DIR, then lxdpp's discovery of LXD's and
    Incus's sockets), a socket path, or ``https://host:port``. ``timeout`` bounds each
    request (seconds; None: lxdpp's 30 s); waits for operations have no deadline.
    """

    def __init__(self, endpoint=None, version='1.0', cert=None, verify=True, timeout=None, project=None,
                 session=None):
        if isinstance(timeout, tuple):
            timeout = max(t for t in timeout if t is not None)
        self.cert = None
        self.project = project
        if endpoint is None or endpoint.startswith('/'):
            self._socket = _unix_socket(endpoint)
            self._endpoint = self._socket
            self._core = _core.Client.unix(self._socket, timeout, project or '')
        else:
            self._socket = None
            self._endpoint = endpoint.rstrip('/')
            self.cert, tls = _tls(self._endpoint, cert, verify)
            self._core = _core.Client.https(self._endpoint, tls, timeout, project or '')
        try:
            self.host_info = json.loads(self._core.host_info())
        except (exceptions.ClientConnectionFailed, exceptions.Timeout, ConnectionError) as e:
            raise exceptions.ClientConnectionFailed(str(e)) from e
        if project not in (None, 'default') and not self.has_api_extension('projects'):
            raise exceptions.ClientConnectionFailed("Remote server doesn't handle projects")
        self.api = _APINode(self, '/' + version)
        self.containers = managers.ContainerManager(self)
        self.instances = managers.InstanceManager(self)
        self.virtual_machines = managers.VirtualMachineManager(self)
        self.images = managers.ImageManager(self)
        self.profiles = managers.ProfileManager(self)
        self.projects = managers.ProjectManager(self)
        self.operations = managers.OperationManager(self)
        self.networks = managers.NetworkManager(self)
        self.storage_pools = managers.StoragePoolManager(self)
        self.certificates = managers.CertificateManager(self)
        self.cluster = managers.ClusterManager(self)

    @property
    def trusted(self):
        return self.host_info.get('auth') == 'trusted'

    @property
    def api_extensions(self):
        """lxdpp extra: the server's API extensions (``host_info['api_extensions']``)."""
        return list(self.host_info.get('api_extensions', []))

    @property
    def server_clustered(self):
        return bool(self.host_info.get('environment', {}).get('server_clustered', False))

    @property
    def websocket_url(self):
        if self._socket:
            return 'ws+unix://' + self._socket
        parsed = urlparse(self._endpoint)
        return 'wss://' + parsed.netloc

    def has_api_extension(self, name):
        return name in self.host_info.get('api_extensions', [])

    def assert_has_api_extension(self, name):
        if not self.has_api_extension(name):
            raise exceptions.LXDAPIExtensionNotAvailable(name)

    def authenticate(self, password, use_token_auth=True):
        """Asks the server to trust this client's certificate (a trust password or token)."""
        if self.trusted:
            return
        if self.cert is None:
            raise exceptions.ClientConnectionFailed('No client certificate specified')
        self._core.authenticate(password)
        self.host_info = json.loads(self._core.host_info())

    def events(self, websocket_client=None, event_types=None, event_filter=None):
        """The server's events (pylxd's ``events()``): an :class:`EventStream` (or an object
        of ``websocket_client``, a subclass of it). ``connect()`` subscribes, ``run()`` calls
        ``received_message(message)`` for each event (``message.data``: the JSON bytes) until
        ``close()``; or iterate over it for the events as dicts. ``event_types`` (or pylxd
        2.4's ``event_filter``): a set of :class:`EventType` (default: all)."""
        from lxdpp.events import EventStream
        wanted = event_filter if event_filter is not None else event_types
        types = sorted({t.value for t in (wanted or ())} - {'all'})
        cls = websocket_client or EventStream
        return cls(self, types)

    # lxdpp's own helpers for the models: one native request each.
    def _request(self, method, path, body=None, query=(), etag='', wait=False):
        """(kind, operation, metadata, etag) of a JSON request; errors raise pylxd's exceptions."""
        kind, _, operation, metadata, new_etag = self._core.raw(
            method, path, list(query), '' if body is None else _dumps(body), etag, wait)
        return kind, operation, _loads(metadata), new_etag


def _path(*segments):
    """"/1.0/<escaped segments>"."""
    return '/1.0/' + '/'.join(quote(str(s), safe='') for s in segments)
