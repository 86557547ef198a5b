"""RDF vocabularies used by kgbuild, declared once."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD


class _Namespace(Namespace):
    """An rdflib Namespace that remembers the terms read as attributes: ``KGO.Concept`` in a loop is a dict lookup."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


#: Terms of the kgbuild ontology (classes, properties, annotation properties).
KGO = _Namespace("https://w3id.org/kgbuild/ontology#")
#: Wikidata entities, the target of ``owl:sameAs`` links.
WD = _Namespace("http://www.wikidata.org/entity/")
#: Wikidata direct properties ("truthy" statements), the targets of ``owl:equivalentProperty``.
WDT = _Namespace("http://www.wikidata.org/prop/direct/")
SCHEMA = SDO
SH = _Namespace("http://www.w3.org/ns/shacl#")
#: NIF 2.0 Core: text mentions as offset-addressed strings (nif:Phrase, nif:beginIndex, ...).
NIF = _Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
#: W3C Internationalization Tag Set 2.0 in RDF; ``itsrdf:taIdentRef`` links a mention to what it names.
ITSRDF = _Namespace("http://www.w3.org/2005/11/its/rdf#")
#: Placeholder namespace of gazetteer entries in ``ontology/gazetteer.ttl``; an entry's local
#: name becomes its slug under ``<base>entity/``.
GAZ = _Namespace("https://w3id.org/kgbuild/gazetteer#")

#: Default base for minted resource IRIs; ``--base-iri`` changes it.
DEFAULT_BASE_IRI = "https://w3id.org/kgbuild/id/"


def minted_iri(base_iri: str, path: str) -> str:
    """Return the IRI of a resource kgbuild mints: ``path`` ("entity/Nvidia") under the base IRI.

    The one place minted IRIs are made. It joins strings instead of going through an rdflib
    ``Namespace``, which builds and checks a ``URIRef`` per call: this runs for every mention and
    fact, the base IRI is checked once on the command line, and ``path`` is made IRI-safe by its caller.
    """
    return base_iri + path

#: Prefixes written into Turtle and predeclared for SPARQL.
PREFIXES: dict[str, str] = {
    "itsrdf": str(ITSRDF),
    "kgo": str(KGO),
    "nif": str(NIF),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "wd": str(WD),
    "wdt": str(WDT),
    "xsd": str(XSD),
}
