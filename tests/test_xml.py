"""The one XML parser of the ingest stage: what it refuses, what it lets through; and the
EndNote record mapping the EndNote XML and .docx readers share."""

from __future__ import annotations

import pytest
from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.endnote import record_reference
from citecheck.ingest.xml import parse_xml, text_of

# "]" in a comment ends the quick look's idea of the DTD before the declaration
HIDDEN = b'<!DOCTYPE a [<!ELEMENT a ANY> <!-- ] --> <!ENTITY x "y">]><a>&x;</a>'


def test_entity_declarations_are_refused_even_past_the_quick_look() -> None:
    with pytest.raises(InputError, match=r"^p\.xml: the XML declares its own entities"):
        parse_xml(HIDDEN, "p.xml")
    padded = b"<?xml version='1.0'?>" + b" " * 70_000 + b'<!DOCTYPE a [<!ENTITY x "y">]><a/>'
    with pytest.raises(InputError, match="declares its own entities"):
        parse_xml(padded, "p.xml")


def test_an_external_dtd_is_named_not_fetched_unless_the_format_has_none() -> None:
    public = b'<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "http://x/j.dtd"><article/>'
    assert parse_xml(public, "p.xml").tag == "article"
    with pytest.raises(InputError, match="which Word never writes"):
        parse_xml(public, "word/document.xml", no_dtd_in="Word")


def test_malformed_xml_is_one_line_and_comments_are_dropped() -> None:
    with pytest.raises(InputError, match=r"^p\.xml is not well-formed XML \(.*line 2") as caught:
        parse_xml(b"<a>\n<b></a>", "p.xml")
    assert "\n" not in str(caught.value)
    assert text_of(parse_xml(b"<a>x<!-- c -->y <b> z </b></a>", "p.xml")) == "xy z"
    assert text_of(None) == ""


def test_an_endnote_record_gives_the_same_reference_from_either_reader() -> None:
    record = etree.fromstring(
        b"<record><contributors><authors><author><style>Ott, PA</style></author>"
        b"</authors></contributors><titles><title>T</title></titles>"
        b"<periodical><abbr-1>Hematol Oncol Clin</abbr-1></periodical>"
        b"<pages>249 - 260</pages><accession-num>30833001</accession-num>"
        b"<remote-database-provider>NLM</remote-database-provider></record>"
    )
    ref = record_reference(record, 7)
    assert (ref.container, ref.pages, ref.pmid, ref.line) == (
        "Hematol Oncol Clin",
        "249-260",
        "30833001",
        7,
    )
    record.remove(record.find("remote-database-provider"))
    assert record_reference(record, None).pmid is None  # a CINAHL or Embase number, maybe
