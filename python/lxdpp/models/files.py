"""``instance.files``: pylxd's file manager over lxdpp's streaming file calls."""

import json
import os

from lxdpp import _core


def _mode(mode):
    """pylxd's mode argument (an int, or octal digits as a str) as permission bits."""
    if mode is None:
        return None
    if isinstance(mode, bool):
        raise ValueError('mode must be an int or a str of octal digits')
    if isinstance(mode, int):
        return mode
    if isinstance(mode, str):
        return int(mode, 8)
    raise ValueError('mode must be an int or a str of octal digits')


def _data(data):
    if isinstance(data, str):
        return data.encode('utf-8')      # pylxd sends str as Latin-1; lxdpp as UTF-8
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if hasattr(data, 'read'):
        content = data.read()
        return content.encode('utf-8') if isinstance(content, str) else bytes(content)
    return b''.join(bytes(chunk) for chunk in data)


class FilesManager:
    """Files of one instance; the instance's name is read at each call (rename-safe)."""

    def __init__(self, instance):
        self._instance = instance

    def _target(self):
        self._instance._before_request()
        return self._instance.client._core, self._instance.name

    def put(self, filepath, data, mode=None, uid=None, gid=None):
        core, name = self._target()
        _core.file_put(core, name, filepath, _data(data), _mode(mode), uid, gid)

    def get(self, filepath):
        """The file's bytes (a directory: the server's JSON answer, as pylxd returns it)."""
        core, name = self._target()
        kind, data, entries, target, _, _, _ = _core.file_get(core, name, filepath)
        if kind == 'directory':
            return json.dumps({'type': 'sync', 'status': 'Success', 'status_code': 200,
                               'metadata': entries}).encode('utf-8')
        if kind == 'symlink':
            return target.encode('utf-8')
        return data

    def delete_available(self):
        return self._instance.client.has_api_extension('file_delete')

    def delete(self, filepath):
        self._instance.client.assert_has_api_extension('file_delete')
        core, name = self._target()
        _core.file_remove(core, name, filepath)

    def mk_dir(self, path, mode=None, uid=None, gid=None):
        core, name = self._target()
        _core.file_mkdir(core, name, path, _mode(mode), uid, gid)

    def recursive_put(self, src, dst, mode=None, uid=None, gid=None):
        """Copies local directory ``src`` to ``dst``. Without mode/uid/gid each entry keeps its
        local mode and owner (lxdpp's transfer); with them, each entry gets them (pylxd)."""
        if not os.path.isdir(src):
            raise NotADirectoryError(src)
        if mode is None and uid is None and gid is None:
            core, name = self._target()
            _core.recursive_put(core, name, os.fspath(src), dst)
            return
        self._put_each(src, dst, mode, uid, gid)

    def _put_each(self, src, dst, mode, uid, gid):
        self.mk_dir(dst, mode, uid, gid)
        for root, dirs, files in os.walk(src):
            rel = os.path.relpath(root, src)
            base = dst if rel == '.' else os.path.join(dst, rel)
            for d in dirs:
                self.mk_dir(os.path.join(base, d), mode, uid, gid)
            for f in files:
                with open(os.path.join(root, f), 'rb') as fh:
                    self.put(os.path.join(base, f), fh.read(), mode, uid, gid)

    def recursive_get(self, remote_path, local_path):
        """Copies ``remote_path`` (a directory, or a file) to ``local_path``."""
        core, name = self._target()
        kind, data, _, _, mode, _, _ = _core.file_get(core, name, remote_path)
        if kind == 'directory':
            _core.recursive_get(core, name, remote_path, os.fspath(local_path))
        elif kind == 'file':
            with open(local_path, 'wb') as f:
                f.write(data)
            os.chmod(local_path, mode & 0o777)
