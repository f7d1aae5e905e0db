"""Fixtures: the sandbox daemons (scripts/sandbox's env), on LXD and on Incus, and the
Python API under test: lxdpp, and for the drop-in tests also Debian's real pylxd (LXD only:
pylxd 2.2 speaks /1.0/containers, which Incus does not have).

Test ids end in [lxdpp-lxd], [lxdpp-incus] or [pylxd-lxd].
"""

import importlib
import os
import subprocess
import uuid

import pytest


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError('{} is not set: run the tests with the env of scripts/sandbox start'.format(name))
    return value


SERVERS = {
    'lxd': {'socket': 'LXDPP_TEST_SOCKET_1', 'https': 'LXDPP_TEST_HTTPS_1', 'cert': 'LXDPP_TEST_CERT_1',
            'dir': 'LXDPP_TEST_DIR_1', 'cli': 'lxc', 'conf': ('LXD_CONF', 'LXDPP_TEST_LXC_CONF')},
    'incus': {'socket': 'LXDPP_TEST_INCUS_SOCKET_1', 'https': 'LXDPP_TEST_INCUS_HTTPS_1',
              'cert': 'LXDPP_TEST_INCUS_CERT_1', 'dir': 'LXDPP_TEST_INCUS_DIR_1', 'cli': 'incus',
              'conf': ('INCUS_CONF', 'LXDPP_TEST_INCUS_CONF')},
}


class Server:
    """One sandbox daemon: where it is, and its own CLI to confirm what the API did."""

    def __init__(self, kind):
        spec = SERVERS[kind]
        self.kind = kind
        self.socket = _env(spec['socket'])
        self.https = 'https://' + _env(spec['https'])
        self.cert = _env(spec['cert'])
        self.dir = _env(spec['dir'])
        self._cli = spec['cli']
        self._conf = (spec['conf'][0], _env(spec['conf'][1]))
        self.image = _env('LXDPP_TEST_IMAGE')

    def cli(self, *args, check=True):
        """Runs `lxc ARGS` (LXD) or `incus ARGS` (Incus) on this daemon (remote d1); stdout."""
        env = dict(os.environ, **{self._conf[0]: self._conf[1]})
        r = subprocess.run([self._cli] + [a.replace('@', 'd1:') for a in args], env=env,
                           capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise AssertionError('{} {} failed: {}'.format(self._cli, ' '.join(args), r.stderr))
        return r.stdout


def _connect(module, server):
    if module.__name__ == 'pylxd':
        # pylxd 2.2 refuses a socket path as endpoint (it tests os.path.isfile): LXD_DIR.
        old = os.environ.get('LXD_DIR')
        os.environ['LXD_DIR'] = server.dir
        try:
            return module.Client()
        finally:
            if old is None:
                del os.environ['LXD_DIR']
            else:
                os.environ['LXD_DIR'] = old
    return module.Client(endpoint=server.socket)


def pytest_generate_tests(metafunc):
    if 'pylxd' in metafunc.fixturenames:
        combos = [('lxdpp', 'lxd'), ('lxdpp', 'incus')]
        if getattr(metafunc.function, 'dropin', False):
            combos.append(('pylxd', 'lxd'))
        metafunc.parametrize('api_combo', combos, ids=['{}-{}'.format(*c) for c in combos], scope='module')


def dropin(fn):
    """Marks a test that also runs against Debian's real pylxd (proving drop-in behaviour)."""
    fn.dropin = True
    return fn


@pytest.fixture(scope='module')
def server(api_combo):
    return Server(api_combo[1])


@pytest.fixture(scope='module')
def pylxd(api_combo):
    return importlib.import_module(api_combo[0])


@pytest.fixture(scope='module')
def client(pylxd, server):
    return _connect(pylxd, server)


@pytest.fixture
def name():
    return 'py-' + uuid.uuid4().hex[:10]


@pytest.fixture
def cleanup(server):
    """Names of instances to remove (forcibly, through the CLI) when the test ends."""
    names = []
    yield names
    for n in names:
        server.cli('delete', '--force', '@' + n, check=False)


@pytest.fixture(scope='module')
def shared_container(server):
    """One busybox container per test module and server (launching is the slow part)."""
    name = 'py-' + uuid.uuid4().hex[:10]
    server.cli('launch', '@' + server.image, '@' + name)
    yield name
    server.cli('delete', '--force', '@' + name, check=False)


@pytest.fixture
def container(client, server, shared_container):
    """The module's container, running, as a fresh model of the API under test."""
    c = client.containers.get(shared_container)
    if c.status != 'Running':
        if c.status == 'Frozen':
            c.unfreeze(wait=True)
        else:
            c.start(wait=True)
    return client.containers.get(shared_container)
