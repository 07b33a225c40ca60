# The claims in graph:current (CURRENT) that a newer current claim on the same stand-in (the same
# requirement in the same assessment) supersedes, taken out: a claim older than the newest current claim
# that says more than "unknown" ("unknown" supersedes nothing; claims of the same day all count).
# Run by: evidence/freshness.py (judge_scopes), once, after count-current.ru. Slots (in double braces):
# CURRENT the run's current graph, EVIDENCE one `USING <graph>` per evidence graph (the WHERE clause's
# default graph).
PREFIX ev: <https://w3id.org/maturity-graph/ev#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

DELETE { GRAPH {{CURRENT}} { ?older ev:countsFor ?standIn } }
{{EVIDENCE}}
USING NAMED {{CURRENT}}
WHERE {
  {
    # per stand-in, the newest day of a current claim that says more than "unknown"
    SELECT ?standIn (MAX(?newerDay) AS ?newest) WHERE {
      GRAPH {{CURRENT}} { ?newer ev:countsFor ?standIn }
      ?newer ev:date ?newerDay ;
             ev:status ?status .
      FILTER(?status != ev:Unknown && DATATYPE(?newerDay) = xsd:date)
    }
    GROUP BY ?standIn
  }
  GRAPH {{CURRENT}} { ?older ev:countsFor ?standIn }
  ?older ev:date ?olderDay .
  FILTER(DATATYPE(?olderDay) = xsd:date && ?olderDay < ?newest)
}
