"""Maven build of the node classpath, Java discovery and JVM/node options."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from search.embedded_node.config import (
    BUILD_STAMP,
    CLASSPATH_DIR,
    DEFAULT_HEAP,
    HEAP_ENV,
    HOST,
    LAUNCHER_JAR,
    NODE_NAME,
    NODE_PROJECT_DIR,
    POM_FILE,
    ClusterMember,
    NodeBuildError,
    NodeStartError,
)
from search.embedded_node.process import _tail_text

# --------------------------------------------------------------------- build


def _build_fingerprint() -> str:
    """Hash of pom.xml and the launcher sources: changes mean a rebuild."""
    digest = hashlib.sha256()
    files = [POM_FILE, *sorted((NODE_PROJECT_DIR / "src").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(NODE_PROJECT_DIR)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _classpath_is_current() -> bool:
    try:
        stamp = BUILD_STAMP.read_text().strip()
    except OSError:
        return False
    return LAUNCHER_JAR.is_file() and stamp == _build_fingerprint()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive advisory lock (blocks) on ``path`` for the duration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def node_build(*, quiet: bool = True, force: bool = False) -> Path:
    """Build the node classpath with Maven unless it is already up to date.

    The classpath is ``search/node/target/lib`` (all jars, launcher included). It
    is considered outdated when pom.xml or the launcher sources changed since the
    last successful build. The Maven executable is ``$SEARCH_NODE_MVN`` or ``mvn``
    on PATH; Maven honours ``JAVA_HOME``. Returns the classpath directory.
    """
    with _file_lock(NODE_PROJECT_DIR / "target" / ".build.lock"):
        if not force and _classpath_is_current():
            return CLASSPATH_DIR
        mvn = os.environ.get("SEARCH_NODE_MVN") or shutil.which("mvn")
        if not mvn:
            raise NodeBuildError(
                "Maven ('mvn') not found on PATH; it is needed once to fetch the "
                "OpenSearch jars (set SEARCH_NODE_MVN to override)."
            )
        # Start from an empty lib dir so jars of older versions never linger.
        shutil.rmtree(CLASSPATH_DIR, ignore_errors=True)
        cmd = [mvn, "-B", "-f", str(POM_FILE), "package"]
        if quiet:
            cmd.insert(1, "-q")
        proc = subprocess.run(
            cmd,
            cwd=NODE_PROJECT_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not LAUNCHER_JAR.is_file():
            output = _tail_text(proc.stdout or "", 60)
            raise NodeBuildError(
                f"Maven build of {POM_FILE} failed (exit {proc.returncode}):\n{output}"
            )
        BUILD_STAMP.write_text(_build_fingerprint() + "\n")
        return CLASSPATH_DIR


# ------------------------------------------------------------------- helpers


def _java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if not found:
        raise NodeStartError("No Java found: set JAVA_HOME or put 'java' on PATH.")
    return found


def _java_major(java: str) -> int | None:
    """Major version from the JDK's ``release`` file (no JVM start), if found."""
    with contextlib.suppress(OSError):
        release = Path(java).resolve().parent.parent / "release"
        match = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(), re.M)
        if match:
            return int(match.group(1))
    return None


def _heap_size() -> str:
    heap = os.environ.get(HEAP_ENV, "").strip() or DEFAULT_HEAP
    if not re.fullmatch(r"\d+[kKmMgG]?", heap):
        raise NodeStartError(f"{HEAP_ENV}={heap!r} is not a JVM size like 512m or 1g")
    return heap


def _jvm_options(java: str, data_dir: Path) -> list[str]:
    """JVM flags, modelled on OpenSearch's default jvm.options."""
    heap = _heap_size()
    major = _java_major(java)
    # COMPAT locale data (what OpenSearch 2.x uses) was removed in JDK 23.
    locales = "SPI,COMPAT" if major is not None and major < 23 else "SPI,CLDR"
    return [
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-OmitStackTraceInFastThrow",
        f"-XX:ErrorFile={data_dir / 'logs' / 'hs_err_pid%p.log'}",
        "-Xss1m",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        "-Djna.nosys=true",
        f"-Djava.locale.providers={locales}",
        "-Dio.netty.noUnsafe=true",
        "-Dio.netty.noKeySetOptimization=true",
        "-Dio.netty.recycler.maxCapacityPerThread=0",
        "-Dlog4j.shutdownHookEnabled=false",
        "-Dlog4j2.disable.jmx=true",
        f"-Djava.io.tmpdir={data_dir / 'tmp'}",
    ]


def _transport_port_range(http_port: int) -> str:
    """Transport port range derived from the HTTP port (9200 -> 9300-9399).

    OpenSearch binds the first free port of the range; the node is single-node so
    nobody needs to know which one.
    """
    start = http_port + 100
    if start + 99 > 65535:
        start = max(1024, http_port - 200)
    return f"{start}-{start + 99}"


def _node_settings(
    port: int, data_dir: Path, member: ClusterMember | None = None
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Settings and list settings of the node (alone, or a cluster member)."""
    settings = {
        "node.name": member.name if member else NODE_NAME,
        "network.host": HOST,
        "http.port": str(port),
        "path.data": str(data_dir / "data"),
        "path.logs": str(data_dir / "logs"),
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        "bootstrap.memory_lock": "false",
    }
    lists = {"node.roles": ["cluster_manager", "data", "ingest"]}
    if member is None:
        settings["transport.port"] = _transport_port_range(port)
        settings["discovery.type"] = "single-node"
    else:
        settings["transport.port"] = str(member.transport_port)
        lists["discovery.seed_hosts"] = list(member.seed_hosts)
        lists["cluster.initial_cluster_manager_nodes"] = list(member.initial_managers)
    return settings, lists
