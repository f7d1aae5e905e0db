"""image.copy(new_client, ...): LXD -> Incus and back, through lxdpp's C++ image copy."""

import uuid

import pytest

import lxdpp
from conftest import Server
from test_trust_events import _tiny_image


@pytest.fixture
def servers():
    lxd, incus = Server('lxd'), Server('incus')
    made = []
    yield lxd, incus, made
    for srv in (lxd, incus):
        for fp in made:
            srv.cli('image', 'delete', '@' + fp, check=False)


def test_image_copy_lxd_to_incus_and_back_by_alias(servers):
    lxd_srv, incus_srv, made = servers
    lxd = lxdpp.Client(endpoint=lxd_srv.socket)
    incus = lxdpp.Client(endpoint=incus_srv.socket)
    image = lxd.images.create(_tiny_image())
    fp = image.fingerprint
    made.append(fp)
    alias = 'py-copy-' + uuid.uuid4().hex[:8]

    copied = image.copy(incus, alias=alias)
    assert isinstance(copied, lxdpp.models.Image)
    assert copied.client is incus
    assert copied.fingerprint == fp
    assert [a['name'] for a in copied.aliases] == [alias]
    assert copied.public is False                        # this image's own setting
    assert incus_srv.cli('image', 'list', '@' + alias, '-c', 'f', '--format', 'csv').strip() == fp[:12]

    # Back to LXD from Incus, by the alias on Incus, once LXD no longer has it.
    image.delete(wait=True)
    assert lxd.images.exists(fp) is False
    back = incus.images.get_by_alias(alias).copy(lxd, public=True, alias=alias)
    assert back.fingerprint == fp
    assert back.public is True
    assert [a['name'] for a in back.aliases] == [alias]
    assert lxd_srv.cli('image', 'list', '@' + alias, '-c', 'f', '--format', 'csv').strip() == fp[:12]
    assert lxd.images.get_by_alias(alias).fingerprint == fp
