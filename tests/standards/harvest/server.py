"""A local portal for harvest tests: it pages DCAT-AP catalogues (Hydra
``next``), answers CKAN's ``package_search`` and serves register files, from
data the test holds and may change between runs."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

DATA = Path(__file__).resolve().parent / "data"
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Portal:
    """What the portal serves: DCAT datasets (one graph each), CKAN packages,
    register entries, and raw answers by path for hostile cases."""

    datasets: list[Graph] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Callable[[dict[str, list[str]]], Answer]] = field(
        default_factory=dict
    )
    per_page: int = 2
    rdf_format: tuple[str, str] = ("turtle", "text/turtle")
    requests: list[str] = field(default_factory=list)
    # Seconds to wait before answering a path (with its query), once.
    delays: dict[str, float] = field(default_factory=dict)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def answer(self, path: str, query: dict[str, list[str]]) -> Answer:
        if path in self.raw:
            return self.raw[path](query)
        if path == "/catalog":
            return self._catalogue(int(query.get("page", ["1"])[0]))
        if path == "/api/3/action/package_search":
            return self._package_search(query)
        if path == "/register.json":
            body = json.dumps(self.entries).encode()
            return 200, {"Content-Type": "application/json"}, body
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def _catalogue(self, number: int) -> Answer:
        start = (number - 1) * self.per_page
        graph = Graph()
        catalogue = URIRef(self.url("/catalog"))
        graph.add((catalogue, RDF.type, DCAT.Catalog))
        publisher = URIRef(self.url("/#publisher"))
        graph.add((catalogue, DCTERMS.publisher, publisher))
        graph.add((publisher, FOAF.name, Literal("Test portal")))
        for dataset in self.datasets[start : start + self.per_page]:
            graph += dataset
        if start + self.per_page < len(self.datasets):
            view = URIRef(self.url(f"/catalog?page={number}"))
            graph.add((view, RDF.type, HYDRA.PartialCollectionView))
            graph.add(
                (view, HYDRA.next, URIRef(self.url(f"/catalog?page={number + 1}")))
            )
        name, media_type = self.rdf_format
        return 200, {"Content-Type": media_type}, graph.serialize(format=name).encode()

    def _package_search(self, query: dict[str, list[str]]) -> Answer:
        start = int(query.get("start", ["0"])[0])
        rows = int(query.get("rows", ["10"])[0])
        packages = sorted(
            self.packages, key=lambda p: (p["metadata_modified"], p["id"])
        )
        fq = query.get("fq", [""])[0]
        if fq.startswith("metadata_modified:["):
            since = fq.split("[", 1)[1].split(" TO ", 1)[0]
            packages = [p for p in packages if p["metadata_modified"] >= since]
        body = {
            "success": True,
            "result": {
                "count": len(packages),
                "results": packages[start : start + rows],
            },
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def sample_datasets(name: str, rdf_format: str) -> list[Graph]:
    """The datasets of a sample file, each with its distributions and agents."""
    graph = Graph().parse(DATA / name, format=rdf_format)
    datasets = []
    for dataset in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str):
        described = graph.cbd(dataset)
        for _, _, linked in list(described.triples((dataset, None, None))):
            if isinstance(linked, URIRef):
                described += graph.cbd(linked)
        datasets.append(described)
    return datasets


def synthetic_dataset(number: int, *, title: str = "") -> Graph:
    """A small, valid DCAT-AP dataset numbered ``number``."""
    graph = Graph()
    dataset = URIRef(f"https://portal.example.org/dataset/{number}")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add(
        (dataset, DCTERMS.title, Literal(title or f"Dataset {number}", lang="en"))
    )
    graph.add((dataset, DCTERMS.description, Literal(f"Measurements number {number}.")))
    graph.add((dataset, DCAT.keyword, Literal("traffic")))
    graph.add(
        (
            dataset,
            DCAT.theme,
            URIRef("http://publications.europa.eu/resource/authority/data-theme/TRAN"),
        )
    )
    graph.add(
        (
            dataset,
            DCTERMS.license,
            URIRef(
                "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
            ),
        )
    )
    distribution = URIRef(f"https://portal.example.org/dataset/{number}/csv")
    graph.add((dataset, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add(
        (
            distribution,
            DCAT.accessURL,
            URIRef(f"https://portal.example.org/files/{number}.csv"),
        )
    )
    graph.add((distribution, DCAT.mediaType, Literal("text/csv")))
    return graph


def sample_package(**changes: Any) -> dict[str, Any]:
    """The ckanext-dcat sample package, with ``changes``."""
    package = json.loads((DATA / "ckan_dataset.json").read_text(encoding="utf-8"))
    package.setdefault("metadata_modified", "2024-01-01T00:00:00.000000")
    package.setdefault("state", "active")
    package.update(changes)
    return package


class _Handler(BaseHTTPRequestHandler):
    portal: Portal

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.portal.requests.append(self.path)
        time.sleep(self.portal.delays.pop(self.path, 0))
        status, headers, body = self.portal.answer(parts.path, parse_qs(parts.query))
        delay = float(headers.pop("X-Test-Delay", "0"))
        self.send_response(status)
        no_length = headers.pop("X-Test-No-Length", None)
        for name, value in headers.items():
            self.send_header(name, value)
        if no_length is None and "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if delay:
            for byte in body:  # a trickle
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(delay)
        else:
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def portal_serving(portal: Portal) -> Iterator[Portal]:
    """Serve ``portal`` on a free port of 127.0.0.1 for the block."""
    handler = type("Handler", (_Handler,), {"portal": portal})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    portal.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield portal
    finally:
        server.shutdown()
        server.server_close()
