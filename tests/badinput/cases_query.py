"""Queries that try to reach the network or run without bounds, and bad parameters (issue 8, items 1, 7, 10);
prefixes nobody declares, and refusals with the project's prefixes predeclared (issue 11, item 6)."""
from __future__ import annotations

from tests.badinput.harness import Case

EP = "http://127.0.0.1:{port}/sparql"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HIDDEN = 'SELECT * WHERE { BIND("\\u0022" AS ?a) ?s ?p ?o SERVICE <' + EP + '> { ?x ?y ?z } BIND("\\u0022" AS ?b) }'
LEAK = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE { BIND("\\u0022" AS ?a) '
        '?x rdfs:label ?label . BIND(IRI(CONCAT("' + EP + '/", ENCODE_FOR_URI(?label))) AS ?ep) '
        'FILTER EXISTS { SERVICE ?ep { ?s ?p ?o } } BIND("\\u0022" AS ?b) }')
REFUSED_ESCAPE = r"stands for|escape sequence left|not a Unicode character"

CASES = [
    Case(id="query-escaped-quotes-hide-service", argv=["query", "-q", HIDDEN], message=r"\\u0022 stands for '\"'"),
    Case(id="query-escaped-quotes-hide-service-in-a-file", argv=["query", "hidden.rq"], files={"hidden.rq": HIDDEN},
         message=r"\\u0022 stands for"),
    Case(id="query-escaped-quotes-hide-filter-exists-leak", argv=["query", "-q", LEAK], message=r"\\u0022 stands for"),
    Case(id="query-long-escapes-hide-service",
         argv=["query", "-q", HIDDEN.replace("\\u0022", "\\U00000022")], message=REFUSED_ESCAPE),
    Case(id="query-short-capital-u-escape", argv=["query", "-q", HIDDEN.replace("\\u0022", "\\U0022")],
         message=REFUSED_ESCAPE),
    Case(id="query-escaped-escape", argv=["query", "-q", HIDDEN.replace("\\u0022", "\\u005Cu0022")],
         message=REFUSED_ESCAPE),
    Case(id="query-surrogate-escape", argv=["query", "-q", 'SELECT * WHERE { BIND("\\uD800" AS ?a) }'],
         message="not a Unicode character"),
    Case(id="query-cr-ended-comment-hides-service",
         argv=["query", "-q", "SELECT * WHERE { ?s ?p ?o # note\rSERVICE <" + EP + "> { ?x ?y ?z }\n}"],
         message="SERVICE is refused"),
    Case(id="query-service-nested-everywhere",
         argv=["query", "-q", "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT * WHERE { GRAPH ?g { MINUS { "
                              "service silent <" + EP + "> { ?x ?y ?z } } } } } } }"],
         message="SERVICE is refused"),
    Case(id="query-service-in-order-by-exists",
         argv=["query", "-q", "SELECT * WHERE { ?s ?p ?o } ORDER BY (EXISTS { SeRvIcE <" + EP + "> { ?x ?y ?z } })"],
         message="SERVICE is refused"),
    Case(id="query-from-named-remote", argv=["query", "-q", "SELECT * FROM NAMED <" + EP + "> WHERE { ?s ?p ?o }"],
         message="FROM and FROM NAMED are refused"),
    Case(id="query-load-is-an-update", argv=["query", "-q", "LOAD <" + EP + ">"], message="UPDATE is refused"),
    Case(id="query-cartesian-product-times-out", argv=["query", "--timeout", "2", "-q", CARTESIAN],
         message=r"ran longer than 2 s \(raise the limit with --timeout\)"),
    Case(id="query-too-many-rows", argv=["query", "--max-rows", "10", "-q", "SELECT * WHERE { ?s ?p ?o }"],
         message=r"more than 10 rows \(raise the limit with --max-rows\)"),
    Case(id="query-too-many-triples",
         argv=["query", "--max-rows", "10", "-q", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"],
         message=r"more than 10 rows"),
    Case(id="query-runs-out-of-memory",
         argv=["query", "--max-memory", "128", "-q", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a"],
         message=r"more than 128 MiB of memory \(raise the limit with --max-memory\)"),
    Case(id="query-zero-timeout", argv=["query", "--timeout", "0", "-q", "ASK {}"], message="--timeout"),
    Case(id="query-param-not-an-iri", argv=["query", "-q", "SELECT ?s WHERE { ?s ?p ?o }", "--param", "s=<not an iri>"],
         message="parameter s: .* is not an absolute IRI"),
    Case(id="query-param-iri-with-a-space",
         argv=["query", "-q", "SELECT ?s WHERE { ?s ?p ?o }", "--param", "s=<http://a b>"],
         message="parameter s: .* is not an absolute IRI"),
    Case(id="query-param-relative-iri", argv=["query", "-q", "SELECT ?s WHERE { ?s ?p ?o }", "--param", "s=<x>"],
         message="is not an absolute IRI"),
    Case(id="query-named-param-ill-typed", argv=["query", "--named", "evidence-older-than", "--param", "days=<a b>"],
         message="parameter days: .* is not a valid xsd:integer"),
    Case(id="query-undeclared-prefix", argv=["query", "-q", "SELECT * WHERE { ?s a foo:Bar }"],
         message=r"the query uses the prefix foo: but declares no PREFIX foo: \(mgraph query --prefixes lists"),
    Case(id="query-undeclared-empty-prefix", argv=["query", "-q", "SELECT * WHERE { ?s a :Bar }"],
         message="the query uses the prefix : but declares no PREFIX :"),
    Case(id="query-undeclared-prefixes-in-a-file", argv=["query", "q.rq"],
         files={"q.rq": "# mine\nSELECT * WHERE {\n  ?s a mm:Capability, zz:Thing ;\n     yy:p ?o }\n"},
         message="the query uses the prefixes yy:, zz: but declares no PREFIX for them"),
    Case(id="query-prefix-declared-after-use",
         argv=["query", "-q", "SELECT * WHERE { ?s a foo:Bar } PREFIX foo: <urn:x>"],
         message="the query does not parse: line 1"),
    Case(id="query-update-with-predeclared-prefixes",
         argv=["query", "-q", "DELETE WHERE { GRAPH graph:content { ?s a mm:Capability } }"],
         message="SPARQL UPDATE is refused"),
    Case(id="query-service-after-predeclared-prefixes",
         argv=["query", "-q", "SELECT * WHERE { ?s a mm:Capability . SERVICE <" + EP + "> { ?x ev:p ?z } }"],
         message="SERVICE is refused"),
    Case(id="query-prefixes-unknown-format", argv=["query", "--prefixes", "-f", "xml"], message="Invalid value"),
]
