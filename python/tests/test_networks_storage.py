"""networks, storage_pools and their volumes, through the API under test and the CLI."""

import json
import os
import uuid

import pytest

from conftest import dropin

NO_ADDRESSES = {'ipv4.address': 'none', 'ipv6.address': 'none'}   # no traffic leaves the machine


@pytest.fixture
def net_name(server):
    """A fresh bridge name (at most 15 characters), deleted through the CLI afterwards."""
    name = 'py' + uuid.uuid4().hex[:8]
    names = [name]
    yield names
    for n in names:
        server.cli('network', 'delete', '@' + n, check=False)


@dropin
def test_network_create_get_save_delete(pylxd, client, server, net_name):
    name = net_name[0]
    net = client.networks.create(name, description='from python', type='bridge', config=dict(NO_ADDRESSES))
    assert isinstance(net, pylxd.models.Network)
    assert (net.name, net.type, net.description, net.managed) == (name, 'bridge', 'from python', True)
    assert net.config['ipv4.address'] == 'none'
    assert server.cli('network', 'get', '@' + name, 'ipv4.address') == 'none\n'
    assert client.networks.exists(name)
    assert name in [n.name for n in client.networks.all()]
    assert 'lo' in [n.name for n in client.networks.all()]

    got = client.networks.get(name)
    got.config['user.note'] = 'saved'
    got.description = 'changed'
    got.save()
    assert server.cli('network', 'get', '@' + name, 'user.note') == 'saved\n'
    again = client.networks.get(name)
    assert (again.description, again.config['user.note']) == ('changed', 'saved')

    got.delete()
    assert not client.networks.exists(name)
    assert name not in server.cli('network', 'list', '@', '--format', 'csv')
    with pytest.raises(pylxd.exceptions.NotFound):
        client.networks.get(name)


def test_network_rename_state_and_leases(pylxd, client, server, net_name):
    net = client.networks.create(net_name[0], config=dict(NO_ADDRESSES))
    new_name = net_name[0] + 'r'
    net_name.append(new_name)
    renamed = net.rename(new_name)
    assert renamed.name == new_name
    assert not client.networks.exists(net_name[0])
    assert server.cli('network', 'get', '@' + new_name, 'ipv4.address') == 'none\n'
    state = renamed.state()
    assert (state.type, state.state) == ('broadcast', 'up')
    assert state.addresses == []                    # ipv4.address=none ipv6.address=none
    assert len(state.hwaddr) == 17
    assert renamed.leases() == []
    lo = client.networks.get('lo')
    assert (lo.managed, lo.type) == (False, 'loopback')
    assert lo.state().mtu == 65536
    with pytest.raises(pylxd.exceptions.NotFound):
        lo.leases()                                 # leases are for managed networks only
    renamed.delete()
    assert not client.networks.exists(new_name)


def _pool_source(server, name):
    path = os.path.join(os.path.dirname(server.dir), 'pools-' + name)
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def pool_name(server):
    name = 'py-' + uuid.uuid4().hex[:10]
    yield name
    for v in ('v1', 'v1r', 'v2'):
        server.cli('storage', 'volume', 'delete', '@' + name, v, check=False)
    server.cli('storage', 'delete', '@' + name, check=False)


@dropin
def test_storage_pool_create_get_save_delete(pylxd, client, server, pool_name):
    source = _pool_source(server, pool_name)
    pool = client.storage_pools.create({'name': pool_name, 'driver': 'dir', 'description': 'from python',
                                        'config': {'source': source}})
    assert isinstance(pool, pylxd.models.StoragePool)
    assert (pool.name, pool.driver, pool.description, pool.config['source']) == (
        pool_name, 'dir', 'from python', source)
    assert server.cli('storage', 'get', '@' + pool_name, 'source') == source + '\n'
    assert client.storage_pools.exists(pool_name)
    assert not client.storage_pools.exists('py-no-such-pool')
    assert pool_name in [p.name for p in client.storage_pools.all()]

    got = client.storage_pools.get(pool_name)
    got.description = 'changed'
    got.config['user.note'] = 'saved'
    got.save()
    assert server.cli('storage', 'get', '@' + pool_name, 'user.note') == 'saved\n'
    assert client.storage_pools.get(pool_name).description == 'changed'

    res = got.resources.get()
    assert res.space['total'] > 0 and res.space['used'] >= 0
    assert res.inodes['total'] > 0

    got.delete()
    assert not client.storage_pools.exists(pool_name)
    with pytest.raises(pylxd.exceptions.NotFound):
        client.storage_pools.get(pool_name)


@dropin
def test_storage_volumes(pylxd, client, server, pool_name):
    pool = client.storage_pools.create({'name': pool_name, 'driver': 'dir',
                                        'config': {'source': _pool_source(server, pool_name)}})
    vol = pool.volumes.create({'name': 'v1', 'config': {'user.a': '1'}})
    assert isinstance(vol, pylxd.models.StorageVolume)
    assert (vol.name, vol.type, vol.config['user.a']) == ('v1', 'custom', '1')
    assert server.cli('storage', 'volume', 'get', '@' + pool_name, 'v1', 'user.a') == '1\n'
    assert [(v.type, v.name) for v in pool.volumes.all()] == [('custom', 'v1')]
    got = pool.volumes.get('custom', 'v1')
    got.config['user.b'] = '2'
    got.save()
    assert server.cli('storage', 'volume', 'get', '@' + pool_name, 'v1', 'user.b') == '2\n'
    with pytest.raises(pylxd.exceptions.NotFound):
        pool.volumes.get('custom', 'nope')

    got.rename({'name': 'v1r', 'pool': pool_name})
    assert got.name == 'v1r'
    listed = server.cli('storage', 'volume', 'list', '@' + pool_name, '--format', 'json')
    assert [v['name'] for v in json.loads(listed)] == ['v1r']
    renamed = pool.volumes.get('custom', 'v1r')
    assert {k: v for k, v in renamed.config.items() if k.startswith('user.')} == {'user.a': '1', 'user.b': '2'}
    renamed.delete()
    assert pool.volumes.all() == []


def test_lxdpp_volume_extras(pylxd, client, server, pool_name):
    pool = client.storage_pools.create({'name': pool_name, 'driver': 'dir',
                                        'config': {'source': _pool_source(server, pool_name)}})
    pool.volumes.create({'name': 'v2', 'description': 'd', 'content_type': 'block', 'config': {'size': '1MiB'}})
    assert pool.volumes.exists('custom', 'v2')
    assert not pool.volumes.exists('custom', 'v1')
    v2 = pool.volumes.get('custom', 'v2')
    assert (v2.content_type, v2.description) == ('block', 'd')
    v2.patch({'config': {'user.p': 'x'}})                      # pylxd's put/patch on the volume's path
    assert (v2.config['user.p'], v2.config['size']) == ('x', '1MiB')
    assert server.cli('storage', 'volume', 'get', '@' + pool_name, 'v2', 'user.p') == 'x\n'
    assert v2.api.get().json()['metadata']['name'] == 'v2'
    # A pool in use is refused by the server, and stays.
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.storage_pools.get(pool_name).delete()
    assert e.value.response.status_code == 400
    assert client.storage_pools.exists(pool_name)


def test_volume_rename_to_another_pool_moves_it(pylxd, client, server, pool_name):
    other = pool_name + 'b'
    try:
        pool = client.storage_pools.create({'name': pool_name, 'driver': 'dir',
                                            'config': {'source': _pool_source(server, pool_name)}})
        client.storage_pools.create({'name': other, 'driver': 'dir', 'config': {'source': _pool_source(server, other)}})
        vol = pool.volumes.create({'name': 'v1', 'config': {'user.a': '1'}})
        assert vol.rename({'name': 'v1m', 'pool': other}) == {}
        assert (vol.name, vol.storage_pool.name) == ('v1m', other)
        assert pool.volumes.all() == []
        listed = server.cli('storage', 'volume', 'list', '@' + other, '--format', 'json')
        assert [v['name'] for v in json.loads(listed)] == ['v1m']
        assert server.cli('storage', 'volume', 'get', '@' + other, 'v1m', 'user.a') == '1\n'
        vol.delete()
        assert client.storage_pools.get(other).volumes.all() == []
    finally:
        server.cli('storage', 'volume', 'delete', '@' + other, 'v1m', check=False)
        server.cli('storage', 'delete', '@' + other, check=False)
