"""Instances: managers, attributes, verbs, save with the ETag, errors."""

import json

import pytest

from conftest import dropin


@dropin
def test_get_missing_raises_notfound(pylxd, client):
    with pytest.raises(pylxd.exceptions.NotFound) as e:
        client.containers.get('py-no-such-container')
    assert e.value.response.status_code == 404
    assert isinstance(e.value, pylxd.exceptions.LXDAPIException)
    assert client.containers.exists('py-no-such-container') is False


@dropin
def test_all_lists_with_status(pylxd, client, container, server):
    listed = {c.name: c for c in client.containers.all()}
    assert listed[container.name].status == 'Running'
    assert listed[container.name].status_code == 103
    assert isinstance(listed[container.name], pylxd.models.Container)


def test_instances_and_virtual_machines_managers(pylxd, client, container):
    assert container.name in [i.name for i in client.instances.all()]
    assert container.name not in [i.name for i in client.virtual_machines.all()]
    assert client.instances.exists(container.name)
    assert client.instances.get(container.name).type == 'container'


@dropin
def test_stop_start_restart_update_status(pylxd, client, container, server):
    container.stop(wait=True)   # pylxd's default: force=True
    assert container.status == 'Stopped' and container.status_code == 102
    assert server.cli('list', '@' + container.name, '--format', 'csv', '-c', 's').strip() == 'STOPPED'
    container.start(wait=True)
    assert container.status == 'Running'
    container.restart(wait=True)
    assert container.status == 'Running'
    state = container.state()
    assert state.status == 'Running' and state.status_code == 103
    assert state.pid > 0
    assert isinstance(state.memory, dict) and 'usage' in state.memory


@dropin
def test_rename_updates_name(pylxd, client, server, name, cleanup):
    cleanup.extend([name, name + 'x'])
    c = client.containers.create({'name': name, 'source': {'type': 'none'}}, wait=True)
    c.rename(name + 'x', wait=True)
    assert c.name == name + 'x'
    assert client.containers.exists(name + 'x') and not client.containers.exists(name)
    assert server.cli('list', '@' + name + 'x', '--format', 'csv', '-c', 'n').strip() == name + 'x'


@dropin
def test_save_config_and_sync(pylxd, client, server, container):
    container.config['user.role'] = 'frontend'   # an in-place edit is saved, as in pylxd
    container.description = 'from python'
    container.save(wait=True)
    assert server.cli('config', 'get', '@' + container.name, 'user.role').strip() == 'frontend'
    server.cli('config', 'set', '@' + container.name, 'user.other', 'x')
    container.sync()
    assert container.config['user.other'] == 'x'
    assert container.description == 'from python'


def test_save_refuses_a_lost_update(pylxd, client, server, container):
    """lxdpp is stricter than pylxd: save sends the ETag of the last read (If-Match)."""
    mine = client.containers.get(container.name)
    server.cli('config', 'set', '@' + container.name, 'user.meanwhile', '1')
    mine.config['user.mine'] = '2'
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        mine.save(wait=True)
    assert e.value.response.status_code == 412
    assert 'user.mine' not in server.cli('config', 'show', '@' + container.name)
    mine.sync(rollback=True)
    mine.config['user.mine'] = '2'
    mine.save(wait=True)
    assert server.cli('config', 'get', '@' + container.name, 'user.mine').strip() == '2'


@dropin
def test_create_existing_raises(pylxd, client, server, container):
    """Both servers accept the POST and fail its operation: status 200, as pylxd reports it."""
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.containers.create({'name': container.name, 'source': {'type': 'none'}}, wait=True)
    assert e.value.response.status_code == 200
    # LXD 5.0 says "... already exists"; Incus 6 passes on its database's refusal
    expected = 'already exists' if server.kind == 'lxd' else 'UNIQUE constraint failed'
    assert expected in str(e.value)


@dropin
def test_failed_operation_raises_with_status_200(pylxd, client, name, cleanup):
    cleanup.append(name)
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.containers.create({'name': name, 'source': {'type': 'image', 'alias': 'py-no-such-image'}},
                                 wait=True)
    assert e.value.response.status_code in (200, 404)
    assert str(e.value) != ''


def test_delete_then_verbs_fail(pylxd, client, name, cleanup):
    cleanup.append(name)
    c = client.containers.create({'name': name, 'source': {'type': 'none'}}, wait=True)
    c.delete(wait=True)
    assert c.client is None
    with pytest.raises(AttributeError):
        c.start()


def test_client_api_raw_nodes(pylxd, client, container):
    r = client.api.instances[container.name].get()
    assert r.status_code == 200
    assert r.json()['metadata']['name'] == container.name
    r = client.api.instances[container.name].state.put(json={'action': 'stop', 'force': True, 'timeout': 30})
    assert r.status_code == 202
    op_id = r.json()['operation'].split('/')[-1]
    done = client.api.operations[op_id].wait.get()
    assert done.json()['metadata']['status'] == 'Success'
    assert json.loads(client.api.instances[container.name].state.get().text)['metadata']['status'] == 'Stopped'
    with pytest.raises(pylxd.exceptions.NotFound):
        client.api.instances['py-no-such'].get()
