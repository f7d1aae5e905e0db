"""pylxd's exception classes (``pylxd.exceptions``), raised by lxdpp where pylxd raises them.

An error answer of the server carries a response object, as pylxd's do:
``e.response.status_code`` is the HTTP status (200 for a failed background operation, as
pylxd reports one), ``e.response.json()`` the error envelope, ``str(e)`` the server's message.
"""

import json as _json


class _ErrorResponse:
    """The parts of a ``requests.Response`` pylxd programs read from an error."""

    def __init__(self, status_code, envelope, url=''):
        self.status_code = status_code
        self._envelope = envelope
        self.url = url
        self.headers = {}
        self.reason = ''
        self.content = _json.dumps(envelope).encode('utf-8')

    @property
    def ok(self):
        return self.status_code < 400

    @property
    def text(self):
        return self.content.decode('utf-8')

    def json(self):
        return self._envelope

    def raise_for_status(self):
        if not self.ok:
            raise LXDAPIException(self)


class LXDAPIException(Exception):
    """An error answer of the server; ``response`` holds the HTTP status and the envelope."""

    def __init__(self, response):
        super().__init__()
        self.response = response

    def __str__(self):
        try:
            data = self.response.json()
            if self.response.status_code == 200:   # a failed operation
                return data['metadata']['err']
            return data['error']
        except (ValueError, KeyError, TypeError, AttributeError):
            content = getattr(self.response, 'content', b'')
            return content.decode('utf-8') if isinstance(content, bytes) else str(content)

    @property
    def status_code(self):
        """lxdpp extra: ``response.status_code``."""
        return self.response.status_code


class NotFound(LXDAPIException):
    """404: the object does not exist."""


class Conflict(LXDAPIException):
    """409: the object already exists (pylxd 2.4's class; a subclass of LXDAPIException)."""


class LXDAPIExtensionNotAvailable(Exception):
    """The server lacks an API extension the call needs."""

    def __init__(self, name, *args, **kwargs):
        super().__init__("LXD API extension '{}' is not available".format(name), *args, **kwargs)


class ClientConnectionFailed(Exception):
    """The client could not reach the server (socket, address or TLS)."""


class ConnectionError(ConnectionError):   # noqa: A001 (the requests-like name is the point)
    """The connection broke after the client was made; the request's outcome is unknown."""


class Timeout(TimeoutError):
    """A request's deadline (``Client(timeout=)``) expired."""


_HTTP_OF = {'not_found': 404, 'conflict': 409, 'precondition_failed': 412, 'forbidden': 403,
            'bad_request': 400, 'server_error': 500}


def _from_core(code, http_status, message, request, operation_id, what):
    """The Python exception for an lxd::error (called by lxdpp._core's translator)."""
    url = request.split(' ', 1)[-1] if request else ''
    if code in ('operation_failed', 'operation_cancelled'):
        status = 'Failure' if code == 'operation_failed' else 'Cancelled'
        metadata = {'id': operation_id, 'status': status, 'err': message or what}
        return LXDAPIException(_ErrorResponse(200, {'type': 'sync', 'status': 'Success', 'status_code': 200,
                                                    'error_code': 0, 'error': '', 'metadata': metadata}, url))
    if code == 'invalid_argument':
        return ValueError(what)
    if code in ('connection_failed', 'tls_error'):
        return ClientConnectionFailed(what)
    if code == 'connection_lost':
        return ConnectionError(what)
    if code == 'timeout':
        return Timeout(what)
    if code == 'unsupported':
        return LXDAPIExtensionNotAvailable(message or what)
    status = http_status or _HTTP_OF.get(code, 500)
    envelope = {'type': 'error', 'error': message or what, 'error_code': status, 'metadata': None}
    cls = NotFound if status == 404 else Conflict if status == 409 else LXDAPIException
    return cls(_ErrorResponse(status, envelope, url))
