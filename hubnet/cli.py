"""The ``hubnet`` command line.

``hubnet search-node start|stop|status``, ``hubnet demo``, ``hubnet web``,
``hubnet worker``; anything else is a Django management command
(``hubnet migrate``, ``hubnet manage check``). A configuration error prints one
line naming the variable and exits with status 2.
"""

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from hubnet.env import ConfigError, Env

EXIT_CONFIG = 2


def _fail_config(error: ConfigError) -> int:
    print(f"hubnet: configuration error: {error}", file=sys.stderr)
    return EXIT_CONFIG


def _var_dir(environ: Env) -> Path:
    default = Path(__file__).resolve().parent.parent / "var"
    return Path(environ.str("HUBNET_VAR_DIR", str(default))).resolve()


def _search_node(argv: Sequence[str]) -> int:
    from search import embedded_node

    parser = argparse.ArgumentParser(prog="hubnet search-node")
    parser.add_argument("action", choices=["start", "stop", "status", "build"])
    environ = Env()
    default_port = environ.int("SEARCH_NODE_PORT", 9200, minimum=1024, maximum=65535)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    # Several nodes: HTTP on --port and the next ones, one JVM each, one cluster.
    parser.add_argument("--nodes", type=int, default=None)
    parser.add_argument("--transport-port", type=int, default=None)
    options = parser.parse_args(argv)
    data_dir = options.data_dir or _var_dir(environ) / "search-node"
    # Without options, a cluster started before in data_dir starts as it was.
    plan = embedded_node.cluster_plan_read(data_dir=data_dir)
    nodes = options.nodes or (plan.nodes if plan else 1)
    port = options.port or (plan.port if plan else default_port)
    transport_port = options.transport_port or (plan.transport_port if plan else None)
    status: embedded_node.NodeStatus | embedded_node.ClusterStatus
    try:
        if options.action == "build":
            print(embedded_node.node_build(quiet=False))
            return 0
        if options.action == "start" and nodes > 1:
            status = embedded_node.cluster_start(
                nodes=nodes,
                port=port,
                data_dir=data_dir,
                transport_port=transport_port,
            )
        elif options.action == "start":
            status = embedded_node.node_start(port=port, data_dir=data_dir)
        elif options.action == "stop":
            stopped = embedded_node.node_stop(data_dir=data_dir)
            stopped |= embedded_node.cluster_stop(data_dir=data_dir) > 0
            print("stopped" if stopped else "not running")
            return 0
        elif plan is not None:
            status = embedded_node.cluster_status(data_dir=data_dir)
        else:
            status = embedded_node.node_status(data_dir=data_dir, port=port)
    except embedded_node.NodeError as error:
        print(f"hubnet search-node: {error}", file=sys.stderr)
        return 1
    print(status)
    return 0 if status.running else 1


def _web(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="hubnet web")
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args(argv)
    os.execv(  # noqa: S606 - gunicorn replaces this process
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hubnet.wsgi:application",
            "--bind",
            options.bind,
            "--workers",
            str(options.workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
        ],
    )
    return 0  # not reached


def _worker(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="hubnet worker")
    parser.add_argument("--beat", action="store_true", help="embed the beat scheduler")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--queues",
        default="",
        help="kinds of work to consume, comma-separated: sync, poke, index, "
        "health, default (default: all)",
    )
    options = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings

    from hubnet.celery import app, queue_name

    kinds = [kind.strip() for kind in options.queues.split(",") if kind.strip()]
    if unknown := sorted(set(kinds) - set(settings.TASK_QUEUE_KINDS)):
        parser.error(
            f"unknown queue kinds {', '.join(unknown)}; "
            f"choose from {', '.join(settings.TASK_QUEUE_KINDS)}"
        )
    kinds = kinds or list(settings.TASK_QUEUE_KINDS)
    # Workers of one hub that consume different kinds need different names; the
    # one that takes the default queue is the hub's main worker.
    role = (
        "worker" if "default" in kinds else "-".join(dict.fromkeys(kinds)) + "-worker"
    )
    queues = ",".join(queue_name(kind) for kind in dict.fromkeys(kinds))
    args = [
        "worker",
        "--loglevel=INFO",
        f"--concurrency={options.concurrency}",
        f"--queues={queues}",
        f"--hostname={settings.HUB_SLUG}-{role}@%h",
    ]
    if options.beat:
        args += ["--beat", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"]
    _hub_dir_ensure()
    app.worker_main(args)
    return 0


def _hub_dir_ensure() -> None:
    """The hub's own folder (SQLite database and broker, beat schedule)."""
    from django.conf import settings

    settings.HUB_VAR_DIR.mkdir(parents=True, exist_ok=True)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.base")
    import django
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 - loads settings, raising ConfigError early
    django.setup()


def _manage(argv: Sequence[str]) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    _hub_dir_ensure()
    execute_from_command_line(["hubnet", *argv])
    return 0


def _demo(argv: Sequence[str]) -> int:
    from hubnet.demo import demo_main

    return demo_main(argv)


COMMANDS = {
    "search-node": _search_node,
    "web": _web,
    "worker": _worker,
    "demo": _demo,
    "manage": _manage,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    command = COMMANDS.get(args[0]) if args else None
    try:
        if command is None:
            return _manage(args or ["help"])
        return command(args[1:]) or 0
    except ConfigError as error:
        return _fail_config(error)
