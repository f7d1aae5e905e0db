"""certificates, cluster, events, migrate, image upload and export."""

import hashlib
import io
import os
import platform
import subprocess
import tarfile
import tempfile
import threading
import time
import uuid

import pytest

import lxdpp
from conftest import Server, dropin


def _make_cert(tmp_path):
    key, crt = tmp_path / 'py.key', tmp_path / 'py.crt'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                    '-nodes', '-subj', '/CN=lxdpp-python-test', '-days', '2', '-keyout', str(key), '-out', str(crt)],
                   check=True, capture_output=True)
    out = subprocess.run(['openssl', 'x509', '-in', str(crt), '-noout', '-fingerprint', '-sha256'],
                         check=True, capture_output=True, text=True).stdout
    return crt.read_bytes(), out.split('=', 1)[1].strip().replace(':', '').lower()


@dropin
def test_certificates_create_get_delete(pylxd, client, server, tmp_path):
    pem, fingerprint = _make_cert(tmp_path)
    cert = client.certificates.create('unused', pem)
    try:
        assert isinstance(cert, pylxd.models.Certificate)
        assert (cert.fingerprint, cert.type) == (fingerprint, 'client')
        assert fingerprint in [c.fingerprint for c in client.certificates.all()]
        assert client.certificates.get(fingerprint).fingerprint == fingerprint
        assert fingerprint[:12] in server.cli('config', 'trust', 'list', '@', '--format', 'csv')
    finally:
        cert.delete()
    assert fingerprint not in [c.fingerprint for c in client.certificates.all()]
    with pytest.raises(pylxd.exceptions.NotFound):
        client.certificates.get(fingerprint)


def test_certificates_named_restricted_and_saved(pylxd, client, server, tmp_path):
    pem, fingerprint = _make_cert(tmp_path)
    cert = client.certificates.create('', pem, name='py-cert', projects=['default'], restricted=True)
    try:
        assert (cert.name, cert.restricted, cert.projects) == ('py-cert', True, ['default'])
        cert.name = 'py-renamed'
        cert.restricted = False
        cert.save()
        again = client.certificates.get(fingerprint)
        assert (again.name, again.restricted) == ('py-renamed', False)
        assert 'py-renamed' in server.cli('config', 'trust', 'list', '@', '--format', 'csv')
    finally:
        cert.delete()


@dropin
def test_cluster_of_a_standalone_server(pylxd, client, server):
    cluster = client.cluster.get()
    assert isinstance(cluster, pylxd.models.Cluster)
    assert (cluster.enabled, cluster.server_name) == (False, '')
    assert [(m['entity'], m['name'], m['key']) for m in cluster.member_config] == [('storage-pool', 'p', 'source')]
    # Both servers answer 500 "Server is not clustered" for the members (pylxd sees the same).
    for call in (client.cluster.members.all, lambda: client.cluster.members.get('none')):
        with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
            call()
        assert (e.value.response.status_code, str(e.value)) == (500, 'Server is not clustered')


def test_cluster_members_exists_on_a_standalone_server(pylxd, client, server):
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.cluster.members.exists('none')   # not "no": the server cannot say
    assert e.value.response.status_code == 500


def test_events_iterated_and_run(pylxd, client, server, name):
    stream = client.events(event_types={lxdpp.EventType.Lifecycle})
    stream.connect()
    try:
        client.profiles.create(name)
        seen = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            event = stream.next_event(timeout=deadline - time.monotonic())
            assert event is not None, 'no lifecycle event within 20 s'
            assert event['type'] == 'lifecycle'
            seen.append(event['metadata']['action'])
            if event['metadata']['source'] == '/1.0/profiles/' + name:
                break
        assert seen[-1] == 'profile-created'
    finally:
        stream.close()

    class Catcher(lxdpp.events.EventStream):
        def received_message(self, message):
            super().received_message(message)
            if b'profile-deleted' in message.data:
                self.close()

    catcher = client.events(websocket_client=Catcher)
    catcher.connect()
    timer = threading.Timer(20, catcher.close)   # the deadline of run() below
    timer.start()
    client.profiles.get(name).delete()
    catcher.run()
    timer.cancel()
    deleted = [m for m in catcher.messages if m['type'] == 'lifecycle'
               and m['metadata']['action'] == 'profile-deleted']
    assert [m['metadata']['source'] for m in deleted] == ['/1.0/profiles/' + name]
    assert catcher.next_event(timeout=0.1) is None   # closed


def test_events_filter_leaves_other_types_out(pylxd, client, server, name):
    with client.events(event_filter={lxdpp.EventType.Operation}) as stream:
        client.profiles.create(name)
        client.profiles.get(name).delete()
        assert stream.next_event(timeout=1.0) is None   # profiles are synchronous: no operation


@pytest.fixture
def other(server):
    """The other sandbox daemon (Incus for LXD, LXD for Incus) and a client of it."""
    peer = Server('incus' if server.kind == 'lxd' else 'lxd')
    return peer, lxdpp.Client(endpoint=peer.socket)


def test_migrate_to_the_other_server(pylxd, client, server, other, name):
    peer, peer_client = other
    second = name + 'b'
    try:
        for n in (name, second):
            server.cli('init', '@' + server.image, '@' + n)
        moved = client.containers.get(name).migrate(peer_client, wait=True)
        assert isinstance(moved, lxdpp.models.Container)
        assert (moved.client, moved.name, moved.status) == (peer_client, name, 'Stopped')
        assert not client.containers.exists(name)
        assert name in peer.cli('list', '@', '--format', 'csv', '-c', 'n').split()

        pending = client.containers.get(second).migrate(peer_client)   # wait=False
        assert pending.status == 'Stopped'                             # the first use waits
        assert not client.containers.exists(second)
        assert second in peer.cli('list', '@', '--format', 'csv', '-c', 'n').split()
    finally:
        for n in (name, second):
            server.cli('delete', '--force', '@' + n, check=False)
            peer.cli('delete', '--force', '@' + n, check=False)


def _tiny_image():
    """A unified image tarball (metadata.yaml and a rootfs with one file), unique bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        meta = 'architecture: {}\ncreation_date: {}\nproperties:\n  description: py {}\n'.format(
            platform.machine(), int(time.time()), uuid.uuid4().hex).encode()
        for path, data in (('metadata.yaml', meta), ('rootfs/hello', b'hello\n')):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@dropin
def test_image_upload_and_export(pylxd, client, server):
    data = _tiny_image()
    fingerprint = hashlib.sha256(data).hexdigest()
    image = client.images.create(data, public=True)
    try:
        assert image.fingerprint == fingerprint
        assert client.images.get(fingerprint).public is True
        assert fingerprint[:12] in server.cli('image', 'list', '@', '--format', 'csv')
        exported = image.export()
        assert exported.read() == data
        exported.close()
    finally:
        client.images.get(fingerprint).delete(wait=True)
    assert not client.images.exists(fingerprint)


def _spools():
    return sorted(n for n in os.listdir(tempfile.gettempdir()) if n.startswith(('lxdpp-image-', 'lxdpp-export-')))


def test_image_upload_from_a_file_with_the_expected_fingerprint(pylxd, client, server, tmp_path):
    spools_before = _spools()
    data = _tiny_image()
    with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
        client.images.create(data, fingerprint='0' * 64)   # not these bytes: the operation fails
    assert e.value.response.status_code == 200
    assert str(e.value) == "fingerprints don't match, got {} expected {}".format(
        hashlib.sha256(data).hexdigest(), '0' * 64)
    assert not client.images.exists(hashlib.sha256(data).hexdigest())
    path = tmp_path / 'image.tar.gz'
    path.write_bytes(data)
    with open(path, 'rb') as f:
        image = client.images.create(f, fingerprint=hashlib.sha256(data).hexdigest())
    try:
        assert image.public is False
    finally:
        image.delete(wait=True)
    assert sorted(os.listdir(tmp_path)) == ['image.tar.gz']
    assert _spools() == spools_before      # the temporary copies are gone
