"""A local metadata index: Crossref and PubMed records and Retraction Watch notices on disk,
for audits at archive scale that the public APIs' rate limits would make take weeks."""
