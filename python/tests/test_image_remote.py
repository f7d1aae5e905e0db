"""images.create_from_simplestreams / create_from_url: the body pylxd sends, and the error
path (no image server is reachable from the sandbox)."""

import pytest

from conftest import dropin
from lxdpp.models.image import _remote_config

# Nothing listens on port 1: the daemon's fetch fails at once.
UNREACHABLE = 'https://127.0.0.1:1'
REFUSED = 'Unable to connect to: 127.0.0.1:1 ([dial tcp 127.0.0.1:1: connect: connection refused])'
# LXD 5.0 and Incus 6 say the same.
SIMPLESTREAMS_ERROR = ('Failed getting remote image info: Failed getting image: Failed parsing stream: '
                       'Get "https://127.0.0.1:1/streams/v1/index.json": ' + REFUSED)
URL_ERROR = 'Head "https://127.0.0.1:1/image": ' + REFUSED


def test_remote_bodies_are_pylxds():
    source = {'type': 'image', 'mode': 'pull', 'server': UNREACHABLE, 'protocol': 'simplestreams',
              'fingerprint': 'debian/12'}
    assert _remote_config(source, False, True) == {'public': False, 'auto_update': True, 'source': source}


@dropin
def test_create_from_simplestreams_unreachable_raises_the_servers_message(pylxd, client, server):
    before = {i.fingerprint for i in client.images.all()}
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.images.create_from_simplestreams(UNREACHABLE, 'debian/12')
    assert e.value.response.status_code == 200            # the operation failed, as pylxd reports it
    assert str(e.value) == SIMPLESTREAMS_ERROR
    assert {i.fingerprint for i in client.images.all()} == before


@dropin
def test_create_from_url_unreachable_raises_the_servers_message(pylxd, client, server):
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.images.create_from_url(UNREACHABLE + '/image')
    assert e.value.response.status_code == 200
    assert str(e.value) == URL_ERROR


def test_create_from_url_without_wait_returns_the_operation(pylxd, client, server):
    op = client.images.create_from_url(UNREACHABLE + '/image', wait=False)
    assert op.startswith('/1.0/operations/')
    final = client.api.operations[op.split('/')[-1]].wait.get().json()['metadata']
    assert (final['status'], final['err']) == ('Failure', URL_ERROR)
