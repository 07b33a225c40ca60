# Which evidence counts on the as-of day, written into the run's current graph (CURRENT: graph:current,
# or graph:current/<assessment key> in a run of several assessments) as `item ev:countsFor requirement`:
# every claim that is neither future-dated nor stale (as claims-by-requirement.rq judges them) and
# not superseded, that is not older than the newest current claim on its requirement that says
# more than "unknown" ("unknown" supersedes nothing). That newest day comes from
# claims-by-requirement.rq, as one VALUES row per requirement (UNDEF where there is none),
# so the claims are read once here and no superseded claim is ever written.
# Run by: evidence/freshness.py (mark_current). Slots (in double braces): AS_OF the as-of day (an
# xsd:date literal), EVIDENCE one `USING <graph>` per evidence graph (the WHERE clause's default graph),
# NEWEST the VALUES rows `(<requirement> "day"^^xsd:date)` (or UNDEF for the day); ASSESSMENT and
# CLAIMS the run's assessment (assessment/scopes.py).
PREFIX mm: <https://w3id.org/maturity-graph/mm#>
PREFIX ev: <https://w3id.org/maturity-graph/ev#>
PREFIX graph: <https://w3id.org/maturity-graph/graph/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

DROP SILENT GRAPH {{CURRENT}} ;

INSERT { GRAPH {{CURRENT}} { ?item ev:countsFor ?requirement } }
{{EVIDENCE}}
USING NAMED graph:content
WHERE {
  OPTIONAL {
    { SELECT (MIN(?days) AS ?scopeDays) WHERE { {{ASSESSMENT}} ev:evidenceValidityDays ?days . }
      HAVING (COUNT(?days) > 0) }
    BIND(xsd:dayTimeDuration(CONCAT("P", STR(xsd:integer(?scopeDays)), "D")) AS ?scopePeriod)
  }
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
  {{CLAIMS}}
  FILTER(DATATYPE(?day) = xsd:date && YEAR(?day) >= 1 && YEAR(?day) <= 9999)
  FILTER((!BOUND(?newest) || ?day >= ?newest) && ?day <= {{AS_OF}})
  FILTER(!COALESCE({{AS_OF}} - ?day > COALESCE(?scopePeriod, ?frameworkPeriod), false))
  # Last: Oxigraph joins a VALUES block at the top of a WHERE clause first, claim by claim (7x slower)
  VALUES (?requirement ?newest) { {{NEWEST}} }
}
