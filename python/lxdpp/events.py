"""``client.events()``: pylxd's websocket client for /1.0/events, on lxdpp's event stream."""

import json

from lxdpp import _core


class _Message:
    """What ws4py hands ``received_message``: ``data``, the event's JSON as bytes."""

    def __init__(self, data):
        self.data = data
        self.is_text = True

    def __str__(self):
        return self.data.decode('utf-8')


class EventStream:
    """pylxd's ``_WebsocketClient`` for /1.0/events: ``connect()``, ``run()``, ``close()``,
    ``received_message(message)`` (default: appends the event dict to ``messages``).

    lxdpp extras: iterating yields each event as a dict until ``close()``;
    ``next_event(timeout)`` returns one (None when none came within ``timeout`` seconds).
    The GIL is released while waiting; ``received_message`` runs on the thread of ``run()``.
    """

    poll = 0.2   # seconds between checks for close() and for signals (Ctrl-C) while waiting

    def __init__(self, client, types=()):
        self._client = client
        self._types = list(types)
        self._stream = None
        self._closed = False
        self.messages = []

    def connect(self):
        if self._stream is None:
            self._stream = _core.events_open(self._client._core, self._types, False)
            self._closed = False
            self.handshake_ok()

    def handshake_ok(self):
        self.messages = []

    def received_message(self, message):
        self.messages.append(json.loads(message.data.decode('utf-8')))

    def closed(self, code, reason=None):
        """Called once when the stream ends (ws4py's hook)."""

    def next_event(self, timeout=None):
        """The next event as a dict; None if none came within ``timeout`` seconds (None:
        wait until one comes or ``close()``)."""
        text = self._next_text(timeout)
        return None if text is None else json.loads(text)

    def _next_text(self, timeout):
        self.connect()
        while not self._closed:
            slice_ = self.poll if timeout is None else min(self.poll, max(timeout, 0.0))
            try:
                text = self._stream.next(slice_)
            except ConnectionError:
                if self._closed:
                    return None
                raise
            if text is not None:
                return text
            if timeout is not None:
                timeout -= slice_
                if timeout <= 0:
                    return None
        return None

    def run(self):
        """Delivers events to ``received_message`` until ``close()`` (from a handler or
        another thread)."""
        self.connect()
        while not self._closed:
            text = self._next_text(self.poll)
            if text is not None:
                self.received_message(_Message(text.encode('utf-8')))
        self.closed(1000, 'closed')

    def __iter__(self):
        self.connect()
        while True:
            event = self.next_event()
            if event is None:
                return
            yield event

    def close(self, code=1000, reason=''):
        self._closed = True
        if self._stream is not None:
            self._stream.close()

    def stop(self):
        self.close()

    def terminate(self):
        self.close()

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc):
        self.close()

