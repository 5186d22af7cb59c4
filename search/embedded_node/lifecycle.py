"""Start, stop and query the embedded node."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from search.embedded_node.build import (
    _file_lock,
    _java_executable,
    _jvm_options,
    _node_settings,
    node_build,
)
from search.embedded_node.config import (
    CLUSTER_NAME,
    DEFAULT_PORT,
    HEALTHY,
    HOST,
    LAUNCHER_CLASS,
    LOG4J2_PROPERTIES,
    NODE_PLUGINS,
    OPENSEARCH_YML,
    ClusterMember,
    NodeStartError,
    NodeStatus,
)
from search.embedded_node.process import (
    _CHILDREN,
    _cluster_health,
    _is_our_node,
    _log_tail,
    _paths,
    _pid_alive,
    _port_in_use,
    _read_pid,
    _read_state,
    _remove,
    _rotate_log,
    _terminate,
    _url,
)

# ----------------------------------------------------------------------- API


def node_status(*, data_dir: Path, port: int | None = None) -> NodeStatus:
    """Report whether the node of ``data_dir`` runs and its cluster health.

    ``port`` defaults to the port recorded at start (``node.json``), else 9200.
    """
    data_dir = Path(data_dir).resolve()
    paths = _paths(data_dir)
    state = _read_state(paths["state"])
    if port is None:
        port = int(state.get("port", DEFAULT_PORT))
    url = _url(port)
    pid = _read_pid(paths["pidfile"])
    if pid is None:
        health, _ = _cluster_health(url, timeout=1.0)
        error = "not running (no pidfile)"
        if health is not None:
            error += f"; but something else answers on {url}"
        return NodeStatus(False, None, url, None, error)
    if not _is_our_node(pid, data_dir):
        return NodeStatus(False, pid, url, None, f"not running (stale pid {pid})")
    if state.get("port") not in (None, port):
        return NodeStatus(
            True, pid, url, None, f"node runs on port {state['port']}, not {port}"
        )
    health, problem = _cluster_health(url)
    return NodeStatus(True, pid, url, health, problem)


def node_start(
    *,
    port: int = DEFAULT_PORT,
    data_dir: Path,
    wait_seconds: float = 120,
    member: ClusterMember | None = None,
    wait: bool = True,
) -> NodeStatus:
    """Start the node (detached) and wait until its cluster is green or yellow.

    Idempotent: if the pidfile's node is already running on ``port`` and healthy,
    its status is returned (if it is still starting, this waits for it). A node of
    the same ``data_dir`` running on another port is stopped and started again on
    ``port`` (e.g. after an aborted test session that used a random port).

    The JVM gets its own session/process group, so it outlives the calling
    process; use :func:`node_stop` to end it. On failure the JVM is killed and
    :class:`NodeStartError` carries the tail of ``logs/node.log``.

    ``member`` makes the node one of a cluster (see ``search.embedded_node.cluster``);
    with ``wait=False`` this returns once the JVM runs, since a member cannot be
    healthy before enough of its peers are up.
    """
    data_dir = Path(data_dir).resolve()
    paths = _paths(data_dir)
    for key in ("config", "logs", "data", "tmp"):
        paths[key].mkdir(parents=True, exist_ok=True)

    with _file_lock(paths["lock"]):
        status = node_status(data_dir=data_dir, port=port)
        if status.running and status.pid is not None:
            running_port = _read_state(paths["state"]).get("port", port)
            if running_port == port:
                if status.healthy or not wait:
                    return status
                return _wait_until_healthy(
                    status.pid, port, data_dir, wait_seconds, kill_on_failure=False
                )
            # One data dir holds one node: move it to the requested port.
            _terminate(status.pid, 30)
        _remove(paths["pidfile"], paths["state"])  # stale or just stopped
        if _port_in_use(port):
            raise NodeStartError(f"port {port} on {HOST} is already in use")

        classpath = node_build()
        java = _java_executable()
        cmd = [
            java,
            *_jvm_options(java, data_dir),
            "-cp",
            f"{classpath}{os.sep}*",
            LAUNCHER_CLASS,
            "--base-path",
            str(data_dir),
            "--conf-path",
            str(paths["config"]),
            "--cluster-name",
            member.cluster_name if member else CLUSTER_NAME,
        ]
        node_settings, list_settings = _node_settings(port, data_dir, member)
        for key, value in node_settings.items():
            cmd += ["--setting", f"{key}={value}"]
        for key, values in list_settings.items():
            cmd += ["--list-setting", f"{key}={','.join(values)}"]
        for plugin in NODE_PLUGINS:
            cmd += ["--plugin", plugin]

        (paths["config"] / "log4j2.properties").write_text(LOG4J2_PROPERTIES)
        yml = paths["config"] / "opensearch.yml"
        if not yml.exists():
            yml.write_text(OPENSEARCH_YML)
        _rotate_log(paths["log"])

        env = {k: v for k, v in os.environ.items() if k not in ("_JAVA_OPTIONS",)}
        with open(paths["log"], "ab") as log:
            log.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} {cmd!r}\n".encode())
            log.flush()
            proc = subprocess.Popen(
                cmd,
                cwd=data_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        _CHILDREN[proc.pid] = proc
        paths["pidfile"].write_text(f"{proc.pid}\n")
        state = {"pid": proc.pid, "port": port, "url": _url(port)}
        state["started"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        paths["state"].write_text(json.dumps(state, indent=2) + "\n")
        if not wait:
            return NodeStatus(True, proc.pid, _url(port), None, None)
        return _wait_until_healthy(
            proc.pid, port, data_dir, wait_seconds, kill_on_failure=True
        )


def _wait_until_healthy(
    pid: int,
    port: int,
    data_dir: Path,
    wait_seconds: float,
    *,
    kill_on_failure: bool,
) -> NodeStatus:
    paths = _paths(data_dir)
    url = _url(port)
    deadline = time.monotonic() + wait_seconds
    error: str | None = None
    try:
        while True:
            if not _pid_alive(pid):
                error = "the JVM exited during startup"
                child = _CHILDREN.pop(pid, None)
                if child is not None and child.returncode is not None:
                    error += f" (exit code {child.returncode})"
                break
            health, error = _cluster_health(url, wait_yellow=True)
            if health in HEALTHY:
                return NodeStatus(True, pid, url, health, None)
            if time.monotonic() >= deadline:
                error = f"not healthy after {wait_seconds:.0f}s ({health or error})"
                break
            time.sleep(0.5)
    except BaseException:  # e.g. Ctrl-C while waiting: never leave a stray JVM
        if kill_on_failure:
            _terminate(pid, 10)
            _remove(paths["pidfile"], paths["state"])
        raise
    if kill_on_failure:
        _terminate(pid, 10)
        _remove(paths["pidfile"], paths["state"])
    raise NodeStartError(
        f"OpenSearch node on {url} failed to start: {error}\n"
        f"--- last lines of {paths['log']} ---\n{_log_tail(paths['log'])}"
    )


def node_stop(*, data_dir: Path, timeout: float = 30) -> bool:
    """Stop the node of ``data_dir``; returns True if a running node was stopped.

    Sends SIGTERM to the JVM's process group (OpenSearch closes cleanly), waits up
    to ``timeout`` seconds, then SIGKILLs. The pidfile is removed in all cases.
    """
    data_dir = Path(data_dir).resolve()
    paths = _paths(data_dir)
    pid = _read_pid(paths["pidfile"])
    stopped = False
    if pid is not None and _is_our_node(pid, data_dir):
        _terminate(pid, timeout)
        stopped = True
    elif pid is not None:
        _CHILDREN.pop(pid, None)
    _remove(paths["pidfile"], paths["state"])
    return stopped
