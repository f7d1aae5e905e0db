"""The seed page's session (pylxd's "Containers" page), as a pylxd program: only the
import differs. Runs on LXD and Incus, and on Debian's real pylxd for comparison."""


from conftest import dropin


@dropin
def test_seed_session(pylxd, client, server, name, cleanup):
    cleanup.extend([name, name + '-img'])
    # "fetch a single container by its name" / "all containers"
    config = {'name': name, 'source': {'type': 'none'}}
    container = client.containers.create(config, wait=True)
    assert isinstance(container, pylxd.models.Container)
    assert container.name == name
    got = client.containers.get(name)
    assert got.name == name
    assert got.status == 'Stopped' and got.status_code == 102
    assert name in [c.name for c in client.containers.all()]
    for attr in ('architecture', 'config', 'created_at', 'devices', 'ephemeral', 'expanded_config',
                 'expanded_devices', 'profiles', 'stateful'):
        assert getattr(got, attr) is not None, attr
    assert got.profiles == ['default']
    assert got.ephemeral is False

    # "If you were to use an actual image source ...": start, freeze, delete
    image_config = {'name': name + '-img', 'source': {'type': 'image', 'alias': server.image}}
    c = client.containers.create(image_config, wait=True)
    c.start(wait=True)
    assert c.status == 'Running'
    c.freeze(wait=True)
    assert c.status == 'Frozen'
    assert server.cli('list', '@' + c.name, '--format', 'csv', '-c', 's').strip() == 'FROZEN'
    try:   # a frozen (running) container cannot be deleted: the server refuses it
        c.delete(wait=True)
        raise AssertionError('delete of a frozen container succeeded')
    except pylxd.exceptions.LXDAPIException as e:
        assert e.response.status_code == 400
    c.unfreeze(wait=True)
    c.stop(wait=True)
    assert c.status == 'Stopped'
    c.delete(wait=True)
    assert c.client is None
    assert not client.containers.exists(name + '-img')
    container.delete(wait=True)
    assert server.cli('list', '@', '--format', 'csv', '-c', 'n').split().count(name) == 0


def test_create_without_wait_then_start(pylxd, client, server, name, cleanup):
    """lxdpp: the model of create(wait=False) waits for the create at its first use, so the
    seed's `container = create(config, wait=False); container.start()` is reliable."""
    cleanup.append(name)
    c = client.containers.create({'name': name, 'source': {'type': 'image', 'alias': server.image}}, wait=False)
    c.start(wait=True)
    assert c.status == 'Running'
    assert server.cli('list', '@' + name, '--format', 'csv', '-c', 's').strip() == 'RUNNING'
