"""Untrusted XML, for every reader that parses it (JATS, EndNote XML, a .docx's parts and
the EndNote records in its fields), and the text of an element as every lxml reader reads it.

One hardened lxml configuration: no DTD loaded, no entity resolved, no network, lxml's limits
on depth and text size kept (no ``huge_tree``), comments dropped. A document that declares
entities of its own (billion laughs, an external entity) is refused outright, however far
into its DTD the declaration hides. Naming an external DTD (``<!DOCTYPE article PUBLIC …>``,
as every PMC file does) is harmless, since it is never fetched; a format that never has
one (Word) refuses any DOCTYPE too.
"""

from __future__ import annotations

import re

from lxml import etree

from citecheck.errors import InputError

_SCAN = 65536  # the quick look before parsing; the parsed DTD is looked at too
_ENTITY_DECL = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.S | re.I)
_ANY_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")


def parse_xml(data: bytes, what: str, *, no_dtd_in: str | None = None) -> etree._Element:
    """The root of ``data``; InputError naming ``what`` (a path, or a part of one) when the
    XML is refused or not well-formed. ``no_dtd_in`` names a format that never declares a
    DTD ("Word"): any DOCTYPE is refused then, not only entity declarations."""
    if no_dtd_in is not None and _ANY_DTD.search(data[:_SCAN]):
        raise _dtd_refused(what, no_dtd_in)
    if _ENTITY_DECL.search(data[:_SCAN]):
        raise _entities_refused(what)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        detail = getattr(exc, "msg", None) or str(exc).split("\n")[0] or type(exc).__name__
        raise InputError(f"{what} is not well-formed XML ({detail})") from None
    if root is None:
        raise InputError(f"{what} is empty")
    info = root.getroottree().docinfo
    if no_dtd_in is not None and (info.doctype or info.internalDTD is not None):
        raise _dtd_refused(what, no_dtd_in)
    if info.internalDTD is not None and any(True for _ in info.internalDTD.iterentities()):
        raise _entities_refused(what)
    return root


def text_of(element: etree._Element | None) -> str:
    """All the text inside an element, whitespace folded ("" for no element)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _entities_refused(what: str) -> InputError:
    return InputError(f"{what}: the XML declares its own entities; refused (XML bomb?)")


def _dtd_refused(what: str, fmt: str) -> InputError:
    return InputError(f"{what} declares a DTD (entities), which {fmt} never writes: refused")
