"""execute(): exit codes, output, stdin, environment, handlers."""

import pytest

from conftest import dropin


@dropin
def test_exit_code_and_output(pylxd, client, container):
    r = container.execute(['sh', '-c', 'echo out; echo err >&2; exit 3'])
    assert r.exit_code == 3
    assert r.stdout == 'out\n' and r.stderr == 'err\n'
    code, out, err = container.execute(['true'])
    assert (code, out, err) == (0, '', '')


@dropin
def test_missing_command(pylxd, client, container, server):
    """LXD runs the exec and reports 127; Incus 6 fails the exec operation itself."""
    if server.kind == 'lxd':
        assert container.execute(['py-no-such-command']).exit_code == 127
    else:
        with pytest.raises(pylxd.exceptions.LXDAPIException) as e:
            container.execute(['py-no-such-command'])
        assert str(e.value) == 'Command not found'
        assert e.value.response.status_code == 200


@dropin
def test_stdin_and_environment(pylxd, client, container):
    r = container.execute(['sh', '-c', 'cat; echo "$GREETING"'], environment={'GREETING': 'hello'},
                          stdin_payload='line one\nline two\n')
    assert r.exit_code == 0
    assert r.stdout == 'line one\nline two\nhello\n'


@dropin
def test_str_command_is_a_type_error(pylxd, client, container):
    with pytest.raises(TypeError):
        container.execute('ls')


def test_decode_false_gives_bytes(pylxd, client, container):
    r = container.execute(['printf', '\\377\\000\\001'], decode=False)
    assert r.stdout == b'\xff\x00\x01'
    assert r.stderr == b''


def test_user_group_cwd(pylxd, client, container):
    r = container.execute(['sh', '-c', 'id -u; id -g; pwd'], user=1234, group=4321, cwd='/tmp')
    assert r.exit_code == 0
    assert r.stdout == '1234\n4321\n/tmp\n'


def test_handlers_get_chunks_and_the_result_keeps_all(pylxd, client, container):
    out, err = [], []
    text = 'é' * 5000   # multi-byte characters across chunk boundaries decode whole
    r = container.execute(['sh', '-c', 'printf "%s" "$T"; echo oops >&2'], environment={'T': text},
                          stdout_handler=out.append, stderr_handler=err.append)
    assert r.exit_code == 0
    assert ''.join(out) == text and r.stdout == text
    assert ''.join(err) == 'oops\n' and r.stderr == 'oops\n'


def test_handler_exception_stops_the_command(pylxd, client, container):
    class Stop(Exception):
        pass

    def handler(chunk):
        raise Stop(chunk)

    with pytest.raises(Stop):
        container.execute(['sh', '-c', 'echo first; exec sleep 30'], stdout_handler=handler)
    ps = container.execute(['ps', '-o', 'args']).stdout
    assert 'sleep 30' not in ps


def test_handlers_may_call_the_client(pylxd, client, container):
    seen = []
    container.execute(['echo', 'x'], stdout_handler=lambda c: seen.append(client.containers.get(container.name).status))
    assert seen == ['Running']


def test_threads_share_a_client(pylxd, client, container):
    """The GIL is released while a command runs: 8 commands from 4 threads, one client."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: container.execute(['sh', '-c', 'sleep 0.3; echo %d' % i]).stdout,
                                range(8)))
    assert results == ['%d\n' % i for i in range(8)]
