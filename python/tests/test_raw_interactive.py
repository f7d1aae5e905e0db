"""raw_interactive_execute: the websocket URLs of a live exec operation, left to the caller.

Neither server lets such an operation be cancelled ("This operation can't be cancelled",
400); both fail it themselves about 5 s after it starts when nobody connects."""

import pytest

from conftest import dropin


def _operation(client, op_id):
    return client.api.operations[op_id].get().json()['metadata']


@dropin
def test_raw_interactive_execute_returns_a_live_operations_websockets(pylxd, client, container):
    urls = container.raw_interactive_execute(['sh'])
    assert sorted(urls) == ['control', 'ws']
    path, _, secret = urls['ws'].partition('?secret=')
    control_path, _, control_secret = urls['control'].partition('?secret=')
    assert path == control_path
    assert path.startswith('/1.0/operations/') and path.endswith('/websocket')
    op_id = path.split('/')[3]
    op = _operation(client, op_id)
    assert (op['status'], op['class'], op['may_cancel']) == ('Running', 'websocket', False)
    assert op['metadata']['fds'] == {'0': secret, 'control': control_secret}
    assert op['metadata']['command'] == ['sh']
    assert op['metadata']['interactive'] is True
    assert len(secret) == 64 and secret != control_secret
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.api.operations[op_id].delete()
    assert e.value.response.status_code == 400
    assert str(e.value) == "This operation can't be cancelled"


def test_raw_interactive_execute_with_user_group_cwd_ends_unconnected(pylxd, client, container):
    with pytest.raises(TypeError):
        container.raw_interactive_execute('sh')
    urls = container.raw_interactive_execute(['sh'], environment={'A': 'b'}, user=1000, group=1000, cwd='/tmp')
    op_id = urls['ws'].split('/')[3]
    op = _operation(client, op_id)
    assert op['status'] == 'Running'
    assert op['metadata']['environment']['A'] == 'b'
    final = client.api.operations[op_id].wait.get(timeout=15).json()['metadata']
    assert (final['status'], final['err']) == ('Failure', 'Timed out waiting for websockets to connect')
