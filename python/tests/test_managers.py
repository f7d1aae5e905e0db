"""images, profiles, projects, operations; the client itself."""

import os

import pytest

import lxdpp
from conftest import dropin


@dropin
def test_images(pylxd, client, server):
    image = client.images.get_by_alias(server.image)
    assert len(image.fingerprint) == 64
    assert server.image in [a['name'] for a in image.aliases]
    assert image.fingerprint in [i.fingerprint for i in client.images.all()]
    assert client.images.exists(image.fingerprint)
    assert client.images.exists(server.image, alias=True)
    assert not client.images.exists('py-no-such-alias', alias=True)
    with pytest.raises(pylxd.exceptions.NotFound):
        client.images.get('0' * 64)


def test_image_aliases_and_save(pylxd, client, server):
    image = client.images.get_by_alias(server.image)
    image.add_alias('py-alias', 'from python')
    try:
        assert 'py-alias' in [a['name'] for a in image.aliases]
        assert client.images.get_by_alias('py-alias').fingerprint == image.fingerprint
        image.properties['py.note'] = 'yes'
        image.save()
        assert client.images.get(image.fingerprint).properties['py.note'] == 'yes'
    finally:
        image.delete_alias('py-alias')
    assert 'py-alias' not in [a['name'] for a in image.aliases]
    assert not client.images.exists('py-alias', alias=True)


@dropin
def test_profiles(pylxd, client, server, name):
    p = client.profiles.create(name, config={'user.x': '1'}, devices={})
    try:
        assert p.name == name and p.config == {'user.x': '1'}
        assert client.profiles.exists(name)
        assert name in [q.name for q in client.profiles.all()]
        p.config['user.x'] = '2'
        p.save()
        assert server.cli('profile', 'get', '@' + name, 'user.x').strip() == '2'
        renamed = p.rename(name + 'r')
        assert renamed.name == name + 'r' and renamed.config['user.x'] == '2'
        p = renamed
    finally:
        p.delete()
    assert not client.profiles.exists(name + 'r')
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:   # both servers answer 500 here
        client.profiles.create('default')
    assert e.value.response.status_code == 500
    assert 'already exists' in str(e.value)


def test_projects(pylxd, client, server, name):
    p = client.projects.create(name, description='py', config={'features.images': 'false'})
    try:
        assert client.projects.exists(name)
        assert p.description == 'py' and p.config['features.images'] == 'false'
        p.description = 'changed'
        p.save()
        assert 'changed' in server.cli('project', 'show', '@' + name)
        inside = lxdpp.Client(endpoint=server.socket, project=name)
        assert inside.containers.all() == []
        p = p.rename(name + 'r')
        assert p.name == name + 'r'
    finally:
        p.delete()
    assert not client.projects.exists(name + 'r')


def test_operations(pylxd, client, container):
    r = client.api.instances[container.name].state.put(json={'action': 'freeze', 'timeout': 30, 'force': True})
    op = client.operations.get(r.json()['operation'])
    assert op.id == r.json()['operation'].split('/')[-1]
    final = client.operations.wait_for_operation(op.id)
    assert final.status == 'Success'
    assert client.containers.get(container.name).status == 'Frozen'
    container.unfreeze(wait=True)


@dropin
def test_client_host_info_and_extensions(pylxd, client, server):
    assert client.trusted is True
    assert client.host_info['environment']['server_version']
    assert client.has_api_extension('file_delete')
    assert not client.has_api_extension('py_no_such_extension')
    with pytest.raises(pylxd.exceptions.LXDAPIExtensionNotAvailable) as e:
        client.assert_has_api_extension('py_no_such_extension')
    assert 'py_no_such_extension' in str(e.value)
    expected = 'incus' if server.kind == 'incus' else 'lxd'
    assert client.host_info['environment']['server'] == expected


def test_unix_socket_from_lxd_dir_and_missing_socket(pylxd, server, monkeypatch):
    monkeypatch.setenv('LXD_DIR', server.dir)
    assert lxdpp.Client().host_info['environment']['server_version']
    with pytest.raises(lxdpp.exceptions.ClientConnectionFailed):
        lxdpp.Client(endpoint='/nonexistent/unix.socket')


def test_https_with_client_certificate(pylxd, client, server, tmp_path):
    """HTTPS: verify= a certificate file pins it; a new client certificate is untrusted
    until authenticate() (LXD: the trust password; Incus 6: a certificate add token)."""
    crt, key = _make_cert(tmp_path)
    c = lxdpp.Client(endpoint=server.https, cert=(crt, key), verify=server.cert)
    assert c.trusted is False
    if server.kind == 'lxd':
        c.authenticate(os.environ['LXDPP_TEST_PASSWORD'])
    else:
        c.authenticate(_incus_token(client, server))
    assert c.trusted is True
    assert [x.name for x in c.profiles.all()] == [x.name for x in client.profiles.all()]
    with pytest.raises(lxdpp.exceptions.ClientConnectionFailed):
        other = tmp_path / 'other.crt'
        other.write_text(open(crt).read())
        lxdpp.Client(endpoint=server.https, cert=(crt, key), verify=str(other))


def _make_cert(tmp_path):
    import subprocess
    crt, key = str(tmp_path / 'c.crt'), str(tmp_path / 'c.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                    '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', '/CN=py-test'],
                   check=True, capture_output=True)
    return crt, key


def _incus_token(client, server):
    import uuid
    out = server.cli('config', 'trust', 'add', '@py-' + uuid.uuid4().hex[:8])
    return out.strip().splitlines()[-1]
