"""client.api with byte bodies: files POST with data= and headers=, a file GET's raw bytes."""

import pytest

from conftest import dropin


def _prefix(server):
    return 'X-Incus-' if server.kind == 'incus' else 'X-LXD-'


@dropin
def test_api_files_post_bytes_then_get_raw_content(pylxd, client, container, server, tmp_path):
    files = client.api.instances[container.name].files
    payload = b'\x00\x01raw\xffbytes\n'
    p = _prefix(server)
    r = files.post(params={'path': '/tmp/api-bytes'}, data=payload,
                   headers={p + 'mode': '0604', p + 'uid': '7', p + 'gid': '8'})
    assert r.status_code == 200
    assert r.json()['type'] == 'sync'

    got = files.get(params={'path': '/tmp/api-bytes'})
    assert got.status_code == 200
    assert got.content == payload
    assert got.headers[p + 'mode'] == '0604'
    assert got.headers[p.lower() + 'uid'] == '7'          # case-insensitive, as requests'
    assert got.headers[p + 'gid'] == '8'
    assert got.headers[p + 'type'] == 'file'
    with pytest.raises(ValueError):
        got.json()
    server.cli('file', 'pull', '@' + container.name + '/tmp/api-bytes', str(tmp_path / 'f'))
    assert (tmp_path / 'f').read_bytes() == payload

    r = files.delete(params={'path': '/tmp/api-bytes'})
    assert r.status_code == 200
    with pytest.raises(pylxd.exceptions.NotFound):
        files.get(params={'path': '/tmp/api-bytes'})


@dropin
def test_api_directory_get_is_json(pylxd, client, container, server):
    r = client.api.instances[container.name].files.get(params={'path': '/etc'})
    assert r.headers[_prefix(server) + 'type'] == 'directory'
    assert 'inittab' in r.json()['metadata']          # busybox's /etc


def test_api_refuses_other_headers_and_sends_nothing(pylxd, client, container):
    before = client._core.request_count()
    with pytest.raises(ValueError, match="header 'Authorization' is not allowed"):
        client.api.instances[container.name].files.post(params={'path': '/tmp/x'}, data=b'x',
                                                        headers={'Authorization': 'Bearer x'})
    with pytest.raises(ValueError, match='not both'):
        client.api.instances[container.name].files.post(params={'path': '/tmp/x'}, data=b'x', json={})
    assert client._core.request_count() == before
