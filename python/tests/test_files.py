"""instance.files: put/get/delete/mk_dir/recursive_put/recursive_get."""

import os

import pytest

from conftest import dropin


def _stat(container, path):
    # The pause after the output: LXD 5.0 can drop the output of a command that exits right
    # after writing, under load (canonical/lxd#11422, docs/lxd-5.0-notes.md).
    return container.execute(['sh', '-c', 'stat -c "%a %u %g" "$0"; sleep 0.2', path]).stdout.split()


@dropin
def test_put_get_delete(pylxd, client, container, server, tmp_path):
    container.files.put('/tmp/hello.txt', b'hello\x00world', mode=0o640, uid=12, gid=34)
    assert container.files.get('/tmp/hello.txt') == b'hello\x00world'
    assert _stat(container, '/tmp/hello.txt') == ['640', '12', '34']
    server.cli('file', 'pull', '@' + container.name + '/tmp/hello.txt', str(tmp_path / 'h'))
    assert (tmp_path / 'h').read_bytes() == b'hello\x00world'
    assert container.files.delete_available() is True
    container.files.delete('/tmp/hello.txt')
    with pytest.raises(pylxd.exceptions.NotFound):
        container.files.get('/tmp/hello.txt')


@dropin
def test_put_mode_as_octal_string(pylxd, client, container):
    container.files.put('/tmp/m', b'x', mode='0755')
    assert _stat(container, '/tmp/m')[0] == '755'


def test_put_str_is_utf8_and_bad_mode_is_value_error(pylxd, client, container):
    container.files.put('/tmp/u', 'żółw')
    assert container.files.get('/tmp/u') == 'żółw'.encode('utf-8')
    with pytest.raises(ValueError):
        container.files.put('/tmp/u', b'x', mode=1.5)


def test_get_directory_gives_the_listing_envelope(pylxd, client, container):
    container.files.mk_dir('/tmp/d', mode=0o700)
    container.files.put('/tmp/d/a', b'1')
    import json
    assert json.loads(container.files.get('/tmp/d'))['metadata'] == ['a']
    assert _stat(container, '/tmp/d')[0] == '700'


def test_recursive_put_and_get(pylxd, client, container, tmp_path):
    src = tmp_path / 'src'
    (src / 'sub').mkdir(parents=True)
    (src / 'a.txt').write_bytes(b'A' * 100000)
    (src / 'sub' / 'b.bin').write_bytes(bytes(range(256)))
    os.chmod(src / 'sub' / 'b.bin', 0o600)
    container.files.recursive_put(str(src), '/tmp/tree')
    assert container.files.get('/tmp/tree/a.txt') == b'A' * 100000
    assert container.files.get('/tmp/tree/sub/b.bin') == bytes(range(256))
    assert _stat(container, '/tmp/tree/sub/b.bin')[0] == '600'
    dst = tmp_path / 'dst'
    container.files.recursive_get('/tmp/tree', str(dst))
    assert (dst / 'a.txt').read_bytes() == b'A' * 100000
    assert (dst / 'sub' / 'b.bin').read_bytes() == bytes(range(256))
    container.files.recursive_get('/tmp/tree/a.txt', str(tmp_path / 'single'))
    assert (tmp_path / 'single').read_bytes() == b'A' * 100000


def test_recursive_put_with_forced_mode_and_not_a_directory(pylxd, client, container, tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'f').write_bytes(b'f')
    container.files.recursive_put(str(src), '/tmp/forced', mode=0o604, uid=5, gid=6)
    assert _stat(container, '/tmp/forced/f') == ['604', '5', '6']
    with pytest.raises(NotADirectoryError):
        container.files.recursive_put(str(src / 'f'), '/tmp/x')
