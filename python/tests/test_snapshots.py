"""instance.snapshots and snapshot verbs."""

import pytest

from conftest import dropin


@dropin
def test_snapshot_lifecycle(pylxd, client, container, server):
    container.files.put('/tmp/state', b'before')
    snap = container.snapshots.create('snap0', wait=True)
    assert snap.name == 'snap0'
    assert [s.name for s in container.snapshots.all()] == ['snap0']
    got = container.snapshots.get('snap0')
    assert got.name == 'snap0' and got.created_at
    assert 'snap0' in server.cli('info', '@' + container.name)
    container.files.put('/tmp/state', b'after')
    got.rename('snap1', wait=True)
    assert got.name == 'snap1'
    container.stop(wait=True)
    got.restore(wait=True)
    container.start(wait=True)
    assert container.files.get('/tmp/state') == b'before'
    got.delete(wait=True)
    assert container.snapshots.all() == []
    with pytest.raises(pylxd.exceptions.NotFound):
        container.snapshots.get('snap1')


def test_snapshot_publish_returns_an_image(pylxd, client, container, server):
    snap = container.snapshots.create('pub', wait=True)
    image = container.snapshots.get('pub').publish(wait=True)
    snap.delete(wait=True)
    try:
        assert isinstance(image, pylxd.models.Image)
        assert len(image.fingerprint) == 64
        assert client.images.exists(image.fingerprint)
    finally:
        image.delete(wait=True)
    assert not client.images.exists(image.fingerprint)


def test_instance_publish(pylxd, client, container, server):
    container.stop(wait=True)
    image = container.publish(public=True, wait=True)
    try:
        assert image.public is True
        assert image.fingerprint in server.cli('image', 'list', '@', '--format', 'csv', '-c', 'F')
    finally:
        image.delete(wait=True)
