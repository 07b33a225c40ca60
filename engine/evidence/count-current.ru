# Which evidence counts on each assessment's as-of day, written into graph:current (CURRENT): every claim
# that is neither future-dated nor stale (as claims-by-requirement.rq judges them), for the assessments
# of CLAIMS_OF_SCOPES. superseded.ru then takes out the claims a newer current claim supersedes.
# A requirement shape is checked once per assessment through stand-ins: what counts for requirement R in
# the assessment with key K counts for the node stand-in:K/R (R percent-encoded), typed R, and the
# requirement shapes, which target R, are read as targeting the nodes typed R
# (assessment/requirements.py).
# Run by: evidence/freshness.py (judge_scopes), once per chunk of assessments (the store holds one chunk's
# claims at a time). Slots (in double braces): CURRENT the run's current graph, EVIDENCE one `USING <graph>`
# per evidence graph (the WHERE clause's default graph), CLAIMS_OF_SCOPES the claims of the assessments
# judged, with ?assessment ?key ?asOf (assessment/scopes.py claims_of_scopes).
PREFIX mm: <https://w3id.org/maturity-graph/mm#>
PREFIX ev: <https://w3id.org/maturity-graph/ev#>
PREFIX graph: <https://w3id.org/maturity-graph/graph/>
PREFIX stand-in: <https://w3id.org/maturity-graph/stand-in/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

INSERT { GRAPH {{CURRENT}} { ?item ev:countsFor ?standIn . ?standIn a ?requirement } }
{{EVIDENCE}}
USING NAMED graph:content
WHERE {
  {
    SELECT DISTINCT ?requirement ?frameworkPeriod WHERE {
      GRAPH graph:content {
        ?criterion mm:requires ?requirement ;
                   mm:capability ?capability .
        ?dimension mm:hasCapability ?capability .
        ?framework mm:hasDimension ?dimension .
        OPTIONAL { ?framework mm:evidencePolicy/mm:validityDays ?frameworkDays }
      }
      BIND(xsd:dayTimeDuration(CONCAT("P", STR(xsd:integer(?frameworkDays)), "D")) AS ?frameworkPeriod)
    }
  }
  { {{CLAIMS_OF_SCOPES}} }
  OPTIONAL {
    { SELECT ?assessment (MIN(?days) AS ?scopeDays) WHERE { ?assessment ev:evidenceValidityDays ?days . }
      GROUP BY ?assessment }
    BIND(xsd:dayTimeDuration(CONCAT("P", STR(xsd:integer(?scopeDays)), "D")) AS ?scopePeriod)
  }
  FILTER(DATATYPE(?day) = xsd:date && YEAR(?day) >= 1 && YEAR(?day) <= 9999)
  FILTER(?day <= ?asOf)
  FILTER(!COALESCE(?asOf - ?day > COALESCE(?scopePeriod, ?frameworkPeriod), false))
  BIND(IRI(CONCAT(STR(stand-in:), ?key, "/", ENCODE_FOR_URI(STR(?requirement)))) AS ?standIn)
}
