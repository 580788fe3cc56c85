"""A real three-node OpenSearch cluster on 127.0.0.1, one JVM process per node.

The nodes come from the Maven module in ``cluster/`` (built here when its sources are newer than
its last build; the first build downloads OpenSearch from Maven Central into ~/.m2). The same code
serves the test suite (free ports, a temporary folder, see :func:`running`) and ``make cluster``
(HTTP on 9200-9202, in the foreground until Ctrl-C or SIGTERM, which stop every node).

Promises: :meth:`Cluster.start` returns only when ``/_cluster/health`` is green with every node
joined, or raises :class:`ClusterError` with the end of the failing node's log; no node outlives
the process that started it (each node is told to stop when its parent dies).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "cluster"
CLASSPATH_FILE = MODULE / "target" / "classpath.txt"
MAIN_CLASS = "fr.communiques.cluster.ClusterNode"
NODE_COUNT = 3
HEAP = "384m"  # per node; `make cluster` takes --heap for bigger corpora
START_TIMEOUT = 180.0  # seconds; three cold JVMs on two busy cores take 15-40 s
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-Dfile.encoding=UTF-8",
    "-Dlog4j2.disable.jmx=true",
    # The server's own jvm.options: no pooled direct arenas, Netty without Unsafe.
    "-Dio.netty.allocator.numDirectArenas=0",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
]
# Tests only: the client compiler alone halves the CPU of three starts (12.3-13.1 -> 6.1-6.4 s,
# green in 9.7-10.4 s instead of 12.6-16.4 s) but would slow a long indexing run or a benchmark.
QUICK_START = ("-XX:TieredStopAtLevel=1",)
_PR_SET_PDEATHSIG = 1


class ClusterError(RuntimeError):
    """The cluster could not be built or did not become green."""


def missing_tools() -> list[str]:
    """The programs needed to build and run the nodes that are not on PATH."""
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def _newest_source() -> float:
    sources = [MODULE / "pom.xml", *(p for p in (MODULE / "src").rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in sources)


def _stale() -> bool:
    if not CLASSPATH_FILE.exists() or CLASSPATH_FILE.stat().st_mtime < _newest_source():
        return True
    jars = CLASSPATH_FILE.read_text().strip().split(os.pathsep)
    return not all(Path(jar).exists() for jar in jars)  # ~/.m2 emptied since the last build


def build() -> str:
    """Build the node launcher if its sources changed; return the Java classpath."""
    if _stale():
        done = subprocess.run(
            ["mvn", "-q", "-B", "-Dstyle.color=never", "package"],
            cwd=MODULE,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise ClusterError(f"mvn package failed in {MODULE}:\n{done.stdout}{done.stderr}")
        CLASSPATH_FILE.touch()  # Maven leaves it as it was when the dependencies did not change
    return f"{MODULE / 'target' / 'classes'}{os.pathsep}{CLASSPATH_FILE.read_text().strip()}"


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on now (the kernel's choice), all distinct."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _check_free(port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the nodes bind
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise ClusterError(f"cannot start the cluster: 127.0.0.1:{port}: {error}") from None


def _die_with_parent() -> None:
    """Run in the child before exec: own session, SIGTERM when the parent goes away."""
    os.setsid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Node:
    """One node: its name, ports, folder, and the JVM running it (if any)."""

    name: str
    http_port: int
    transport_port: int
    home: Path
    heap: str = HEAP
    jvm_options: tuple[str, ...] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.home / "node.log"

    def start(self, classpath: str, seeds: list[str], managers: list[str]) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        args = [self.name, str(self.http_port), str(self.transport_port), str(self.home)]
        jvm = [f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_OPTIONS, *self.jvm_options]
        command = ["java", *jvm, "-cp", classpath, MAIN_CLASS, *args]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*command, ",".join(seeds), ",".join(managers)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """kill -9: no goodbye to the cluster, nothing flushed."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, then SIGKILL if the node has not closed within ``timeout`` seconds."""
        if not self.alive():
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def rss_mb(self) -> float:
        """Resident memory of the node's JVM, in MB (0 when it is not running)."""
        if not self.alive():
            return 0.0
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def log_tail(self, lines: int = 12) -> str:
        """The last lines of the node's log, stack frames left out (the log has them)."""
        text = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
        kept = [line for line in text.splitlines() if not line[:1].isspace()]
        return "\n".join([f"({self.log})", *kept[-lines:]])


def request(url: str, method: str = "GET", body: Any = None, timeout: float = 30.0) -> Any:
    """One JSON request; an HTTP error status raises ``urllib.error.HTTPError``."""
    data = None
    headers = {"Content-Type": "application/json"}
    if isinstance(body, str):
        data, headers["Content-Type"] = body.encode(), "application/x-ndjson"
    elif body is not None:
        data = json.dumps(body).encode()
    call = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(call, timeout=timeout) as response:
        return json.load(response)


@dataclass
class Cluster:
    """Three nodes that find each other through their transport ports."""

    nodes: list[Node]
    classpath: str = ""

    @classmethod
    def on_ports(
        cls,
        home: Path,
        http_ports: list[int],
        transport_ports: list[int],
        heap: str = HEAP,
        jvm_options: tuple[str, ...] = (),
    ) -> Cluster:
        nodes = [
            Node(f"node-{i}", http, transport, home / f"node-{i}", heap, jvm_options)
            for i, (http, transport) in enumerate(zip(http_ports, transport_ports, strict=True))
        ]
        return cls(nodes)

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def start(self, timeout: float = START_TIMEOUT) -> None:
        self.classpath = build()
        for port in (p for n in self.nodes for p in (n.http_port, n.transport_port)):
            _check_free(port)
        for node in self.nodes:
            self.start_node(node)
        self.wait_green(len(self.nodes), timeout)

    def start_node(self, node: Node) -> None:
        seeds = [f"127.0.0.1:{n.transport_port}" for n in self.nodes]
        node.start(self.classpath, seeds, [n.name for n in self.nodes])

    def health(self, node: Node | None = None, query: str = "") -> dict[str, Any]:
        node = node or next(n for n in self.nodes if n.alive())
        health: dict[str, Any] = request(f"{node.url}/_cluster/health{query}", timeout=10)
        return health

    def wait_green(self, nodes: int, timeout: float = START_TIMEOUT) -> dict[str, Any]:
        """Block until a running node reports green with ``nodes`` nodes joined."""
        deadline = time.monotonic() + timeout
        query = (
            f"?wait_for_status=green&wait_for_nodes={nodes}&timeout=2s&cluster_manager_timeout=2s"
        )
        while time.monotonic() < deadline:
            self._check_alive()
            for node in (n for n in self.nodes if n.alive()):
                try:
                    health = self.health(node, query)
                except (OSError, urllib.error.HTTPError):
                    continue  # not listening, not green within 2 s (408), no manager (503)
                if not health["timed_out"] and self._all_answer():
                    return health
            time.sleep(0.5)
        raise ClusterError(f"not green with {nodes} nodes after {timeout:.0f} s:\n{self._logs()}")

    def _all_answer(self) -> bool:
        """Whether every running node answers HTTP: a node joins the cluster through its
        transport port before its HTTP server listens, so green alone let a first request to
        node 0 be refused."""
        for node in (n for n in self.nodes if n.alive()):
            try:
                request(f"{node.url}/", timeout=5)
            except (OSError, urllib.error.HTTPError):
                return False
        return True

    def _check_alive(self) -> None:
        dead = [n for n in self.nodes if n.process is not None and not n.alive()]
        if dead:
            raise ClusterError(f"{dead[0].name} exited:\n{dead[0].log_tail()}")

    def _logs(self) -> str:
        return "\n".join(f"--- {n.name} {n.log_tail(6)}" for n in self.nodes)

    def stop(self) -> None:
        for node in self.nodes:
            if node.alive():
                assert node.process is not None
                node.process.terminate()
        for node in self.nodes:
            node.stop()


@contextmanager
def running(
    home: Path, heap: str = HEAP, jvm_options: tuple[str, ...] = QUICK_START
) -> Iterator[Cluster]:
    """A green three-node cluster on free ports under ``home``, stopped on the way out (the
    tests' one by default; ``bench/perf.py`` asks for more heap and the full JIT)."""
    ports = free_ports(2 * NODE_COUNT)
    cluster = Cluster.on_ports(home, ports[:NODE_COUNT], ports[NODE_COUNT:], heap, jvm_options)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``make cluster``: HTTP on 9200-9202 until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--http-port", type=int, default=9200, help="first node's HTTP port")
    parser.add_argument("--transport-port", type=int, default=9300, help="first transport port")
    parser.add_argument("--home", type=Path, help="nodes' folder (default: a temporary one)")
    parser.add_argument(
        "--heap", default=HEAP, help="Java heap of each node (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if missing := missing_tools():
        print(f"cannot start the cluster: {', '.join(missing)} not found", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    with tempfile.TemporaryDirectory(prefix="communiques-cluster-") as scratch:
        home = args.home or Path(scratch)
        http = [args.http_port + i for i in range(NODE_COUNT)]
        transport = [args.transport_port + i for i in range(NODE_COUNT)]
        cluster = Cluster.on_ports(home, http, transport, args.heap)
        try:
            print(f"building {MODULE} and starting {NODE_COUNT} nodes under {home}", flush=True)
            cluster.start()
            print(f"cluster green: {cluster.url} (Ctrl-C stops every node)", flush=True)
            while all(n.alive() for n in cluster.nodes):
                time.sleep(1)
            print("a node exited; stopping the others", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("stopping every node", flush=True)
            return 0
        except ClusterError as error:
            print(error, file=sys.stderr)
            return 1
        finally:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
