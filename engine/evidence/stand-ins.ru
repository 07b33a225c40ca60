# A run's graph:current (CURRENT) emptied and given the stand-ins of no evidence: a requirement shape is
# checked once per assessment through stand-ins (count-current.ru writes the others), and
# stand-in:no-evidence/R (R percent-encoded), typed R and nothing else, is what its shape says of an
# assessment no current evidence of which addresses R.
# Run by: evidence/freshness.py (judge_scopes), first. Slots (in double braces): CURRENT the run's current graph.
PREFIX mm: <https://w3id.org/maturity-graph/mm#>
PREFIX graph: <https://w3id.org/maturity-graph/graph/>
PREFIX stand-in: <https://w3id.org/maturity-graph/stand-in/>

DROP SILENT GRAPH {{CURRENT}} ;

INSERT { GRAPH {{CURRENT}} { ?standIn a ?requirement } }
USING graph:content
WHERE {
  ?criterion mm:requires ?requirement .
  BIND(IRI(CONCAT(STR(stand-in:), "no-evidence/", ENCODE_FOR_URI(STR(?requirement)))) AS ?standIn)
}
