"""Make the Word test files tests/data/docx_*.docx from the seed article (run by hand, once).

    python tests/data/make_docx.py

The outputs are committed; tests never run this. Each file is the seed article
(examples/001_ea8cd2c476dabe3b.txt) laid out as an editor receives it from Word:

- docx_numbered.docx: the reference list as a Word numbered list (numbers in numbering.xml,
  not in the text), markers typed as text.
- docx_zotero.docx: Zotero citation fields (ADDIN ZOTERO_ITEM CSL_CITATION, field codes split
  over several runs as Word stores them) and a Zotero bibliography field.
- docx_mendeley.docx: Mendeley Desktop fields (ADDIN CSL_CITATION, code split over many runs;
  one citation as w:fldSimple) and a Mendeley bibliography field.
- docx_endnote_cite.docx: EndNote fields (ADDIN EN.CITE with <record>s; one citation keeps its
  XML base64 in w:fldData with a nested EN.CITE.DATA field, as EndNote does).
- docx_endnotes.docx: the references as Word endnotes, cited by endnote marks.
- docx_truncated.docx: docx_numbered.docx cut in half.
- docx_billion_laughs.docx: docx_numbered.docx whose document.xml declares the billion-laughs
  entities.

The CSL items and EndNote records hold the seed's reference fields as the seed writes them
(what citecheck's text reader parses from the seed, OCR repairs included: "e0213475",
"Sex-, race-"); nothing is added: no DOI, PMID or author the seed does not print. Where the
seed prints "et al.", the item's author list ends with a literal "et al." author, as users
type it into Zotero when they have no full list.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).parent
SEED = HERE.parents[1] / "examples" / "001_ea8cd2c476dabe3b.txt"

# The seed's entries as printed (numbers aside), lines joined.
ENTRIES = [
    "Ott PA. Intralesional Cancer Immunotherapies. Hematol Oncol Clin North Am. "
    "2019;33(2):249-260.",
    "Janz TA, Neskey DM, Nguyen SA, et al. Is imaging of the brain necessary at diagnosis for "
    "cutaneous head and neck melanomas?. Am J Otolaryngol. 2018;39(5):631-635.",
    "Barker CA, Salama AK. New NCCN Guidelines for Uveal Melanoma and Treatment of Recurrent "
    "or Progressive Distant Metastatic Melanoma. J Natl Compr Canc Netw. "
    "2018;16(5S):646-650.",
    "Blakely AM, Comissiong DS, Vezeridis MP, et al Suboptimal compliance with national "
    "comprehensive cancer network melanoma guidelines. Am J Clin Oncol. "
    "2018 Aug;41(8):754-759.",
    "Cho SI, Lee J, Jo G, et al. Local recurrence and metastasis in patients with malignant "
    "melanomas after surgery: A single-center analysis of 202 patients in South Korea. "
    "PLoS One. 2019;14(3):¢0213475.",
    "Gurney JG, Severson RK, Davis S, et al. Incidence of cancer in children in the United "
    "States. Sex?, race?, and 1?year age?specific rates by histologic type. Cancer. "
    "1995;75(8):2186-95.",
    "JtS. downing Jr, Crist WM. Non-Hodgkin’s lymphoma in childhood. N engl J Med. "
    "1996;334:1238-48.",
    "Jaffe ES, Harris NL, Stein H, et al. Classification of lymphoid neoplasms: the "
    "microscope as a tool for disease discovery. Blood. 2008;112(12):4384-99.",
    "Mbulaiteye SM, Biggar RJ, Bhatia K, et al. Sporadic childhood Burkitt lymphoma incidence "
    "in the United States during 1992-2005. Pediatr Blood Canc. 2009;53(3):366-70.",
    "Klapper W, Szczepanowski M, Burkhardt B, et al. Molecular profiling of pediatric mature "
    "B-cell lymphoma treated in population-based prospective clinical trials. Blood. "
    "2008;112(4):1374-81.",
]

# The same entries as fields: (authors "Family Initials", et al?, title, journal, year,
# month, volume, issue, pages).
FIELDS: list[tuple[list[str], bool, str, str, int, int | None, str, str | None, str]] = [
    (["Ott PA"], False, "Intralesional Cancer Immunotherapies",
     "Hematol Oncol Clin North Am", 2019, None, "33", "2", "249-260"),
    (["Janz TA", "Neskey DM", "Nguyen SA"], True,
     "Is imaging of the brain necessary at diagnosis for cutaneous head and neck melanomas?",
     "Am J Otolaryngol", 2018, None, "39", "5", "631-635"),
    (["Barker CA", "Salama AK"], False,
     "New NCCN Guidelines for Uveal Melanoma and Treatment of Recurrent or Progressive "
     "Distant Metastatic Melanoma", "J Natl Compr Canc Netw", 2018, None, "16", "5S",
     "646-650"),
    (["Blakely AM", "Comissiong DS", "Vezeridis MP"], True,
     "Suboptimal compliance with national comprehensive cancer network melanoma guidelines",
     "Am J Clin Oncol", 2018, 8, "41", "8", "754-759"),
    (["Cho SI", "Lee J", "Jo G"], True,
     "Local recurrence and metastasis in patients with malignant melanomas after surgery: A "
     "single-center analysis of 202 patients in South Korea", "PLoS One", 2019, None, "14",
     "3", "e0213475"),
    (["Gurney JG", "Severson RK", "Davis S"], True,
     "Incidence of cancer in children in the United States. Sex-, race-, and 1-year "
     "age-specific rates by histologic type", "Cancer", 1995, None, "75", "8", "2186-95"),
    (["downing JR", "Crist WM"], False, "Non-Hodgkin’s lymphoma in childhood",
     "N engl J Med", 1996, None, "334", None, "1238-48"),
    (["Jaffe ES", "Harris NL", "Stein H"], True,
     "Classification of lymphoid neoplasms: the microscope as a tool for disease discovery",
     "Blood", 2008, None, "112", "12", "4384-99"),
    (["Mbulaiteye SM", "Biggar RJ", "Bhatia K"], True,
     "Sporadic childhood Burkitt lymphoma incidence in the United States during 1992-2005",
     "Pediatr Blood Canc", 2009, None, "53", "3", "366-70"),
    (["Klapper W", "Szczepanowski M", "Burkhardt B"], True,
     "Molecular profiling of pediatric mature B-cell lymphoma treated in population-based "
     "prospective clinical trials", "Blood", 2008, None, "112", "4", "1374-81"),
]  # fmt: skip

# Page furniture of the seed's first page, kept as paragraphs after the list: the "Received"
# date is the submission date the checks use.
FURNITURE = [
    "*Correspondence to: Amini Join, Department of Oncology, Queens University, Canada, "
    "E mail: amini@join.ca",
    "Received: 01-Nov-2024, Manuscript No. AAMOR-24-155333; Editor assigned: 02-Nov-2024, "
    "PreQC No. AAMOR-24-155333(PQ); Reviewed: 18-Nov-2024, QC No. AAMOR-24-155333; Revised: "
    "22-Nov-2024, Manuscript No. AAMOR-24-155333(R), Published: 29-Nov-2024, "
    "DOI:10.35841/aamor-8.6.265",
    "Citation: Join A. Advancing oncology: Targeted therapy in the treatment of acute "
    "lymphoblastic leukemia. J Mol Oncol Res. 2024,8(6):265",
]
MARKER = re.compile(r"\[(\d+),\s?(\d+)\]")
NUM_ID = 90


def body_paragraphs() -> list[tuple[str, str]]:
    """(style, text) of the seed's body: headings and paragraphs, hard line breaks joined."""
    text = SEED.read_text(encoding="utf-8")
    body = text[: text.index("\nReferences\n")]
    out: list[tuple[str, str]] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            joined += line if joined.endswith("-") else " " + line
        if len(lines) == 1 and joined in ("Introduction", "Conclusion"):
            out.append(("Heading 1", joined))
        elif out and out[-1][0] == "Normal" and joined[:1].islower():  # a page break
            out[-1] = ("Normal", out[-1][1] + " " + joined)
        else:
            out.append(("Normal", joined))
    return out


def initials_given(name: str) -> tuple[str, str]:
    family, _, given = name.rpartition(" ")
    return family, given


def csl_item(n: int, uid: str) -> dict[str, Any]:
    names, et_al, title, journal, year, month, volume, issue, pages = FIELDS[n]
    authors: list[dict[str, str]] = []
    for name in names:
        family, given = initials_given(name)
        authors.append({"family": family, "given": given})
    if et_al:
        authors.append({"literal": "et al."})
    item: dict[str, Any] = {
        "id": uid,
        "type": "article-journal",
        "title": title,
        "container-title": journal,
        "author": authors,
        "issued": {"date-parts": [[year, month] if month else [year]]},
        "volume": volume,
        "page": pages,
    }
    if issue:
        item["issue"] = issue
    return item


def endnote_record(n: int) -> str:
    names, et_al, title, journal, year, _, volume, issue, pages = FIELDS[n]
    people = [f"{initials_given(a)[0]}, {initials_given(a)[1]}" for a in names]
    if et_al:
        people.append("et al.")
    authors = "".join(f"<author>{escape(p)}</author>" for p in people)
    number = f"<number>{issue}</number>" if issue else ""
    return (
        f'<record><rec-number>{n + 1}</rec-number><ref-type name="Journal Article">17'
        f"</ref-type><contributors><authors>{authors}</authors></contributors><titles><title>"
        f'<style face="normal" font="default" size="100%">{escape(title)}</style></title>'
        f"<secondary-title>{escape(journal)}</secondary-title></titles><periodical><full-title>"
        f"{escape(journal)}</full-title></periodical><pages>{pages}</pages><volume>{volume}"
        f"</volume>{number}<dates><year>{year}</year></dates></record>"
    )


# --- building blocks --------------------------------------------------------------------


def run_xml(text: str) -> str:
    return f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def field_runs(code: str, result: list[str], chunk: int, data: str | None = None) -> list[str]:
    """A complex field: begin, the code over runs of `chunk` characters, separate, result."""
    w = nsdecls("w")
    fld_data = f'<w:fldData xml:space="preserve">{data}</w:fldData>' if data else ""
    runs = [f'<w:r {w}><w:fldChar w:fldCharType="begin">{fld_data}</w:fldChar></w:r>']
    for i in range(0, len(code), chunk):
        piece = escape(code[i : i + chunk])
        runs.append(f'<w:r {w}><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>')
    runs.append(f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>')
    runs += [run_xml(t) for t in result]
    return runs


def field_end() -> str:
    return f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'


def add_runs(paragraph: Any, runs: list[str]) -> None:
    for xml in runs:
        paragraph._p.append(parse_xml(xml))


def seed_document(cite: Any, references: Any) -> bytes:
    """The seed article; `cite(paragraph, a, b, shown)` writes each marker, `references(doc)`
    writes the list."""
    doc = docx.Document()
    for style, text in body_paragraphs():
        if style.startswith("Heading"):
            doc.add_heading(text, level=1)
            continue
        paragraph = doc.add_paragraph()
        at = 0
        for m in MARKER.finditer(text):
            add_runs(paragraph, [run_xml(text[at : m.start()])])
            cite(paragraph, int(m.group(1)), int(m.group(2)), m.group(0))
            at = m.end()
        add_runs(paragraph, [run_xml(text[at:])])
    references(doc)
    for line in FURNITURE:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def plain_marker(paragraph: Any, a: int, b: int, shown: str) -> None:
    add_runs(paragraph, [run_xml(shown)])


# --- the files --------------------------------------------------------------------------


def numbered() -> bytes:
    def references(doc: Any) -> None:
        doc.add_heading("References", level=1)
        numbering = doc.part.numbering_part.element
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}">'
            '<w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        )
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{NUM_ID}">'
                f'<w:abstractNumId w:val="{NUM_ID}"/></w:num>'
            )
        )
        for entry in ENTRIES:
            paragraph = doc.add_paragraph(entry)
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
                    f'<w:numId w:val="{NUM_ID}"/></w:numPr>'
                )
            )

    return seed_document(plain_marker, references)


def csl_document(flavour: str) -> bytes:
    """Zotero or Mendeley: citation fields over CSL items, then a bibliography field."""
    cited = [0]

    def uid(n: int) -> Any:
        return n + 1 if flavour == "zotero" else f"ITEM-{n + 1}"

    def uri(n: int) -> str:
        if flavour == "zotero":
            return f"http://zotero.org/users/local/seedlib/items/SEED{n + 1:04d}"
        return f"http://www.mendeley.com/documents/?uuid=00000000-0000-4000-8000-{n + 1:012d}"

    def cite(paragraph: Any, a: int, b: int, shown: str) -> None:
        cited[0] += 1
        items = [
            {"id": uid(n - 1), "uris": [uri(n - 1)], "itemData": csl_item(n - 1, str(uid(n - 1)))}
            for n in (a, b)
        ]
        if flavour == "zotero":
            payload = {
                "citationID": f"seedcit{cited[0]}",
                "properties": {"formattedCitation": shown, "plainCitation": shown,
                               "noteIndex": 0},
                "citationItems": items,
                "schema": "https://github.com/citation-style-language/schema/raw/master/"
                "csl-citation.json",
            }  # fmt: skip
            code = f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(payload)} "
            add_runs(paragraph, [*field_runs(code, [shown], 255), field_end()])
            return
        payload = {
            "citationItems": items,
            "mendeley": {"formattedCitation": shown, "plainTextFormattedCitation": shown,
                         "previouslyFormattedCitation": shown},
            "properties": {"noteIndex": 0},
            "schema": "https://github.com/citation-style-language/schema/raw/master/"
            "csl-citation.json",
        }  # fmt: skip
        code = f"ADDIN CSL_CITATION {json.dumps(payload, separators=(', ', ' : '))}"
        if cited[0] == 3:  # Word may also store a field as w:fldSimple
            add_runs(
                paragraph,
                [
                    f'<w:fldSimple {nsdecls("w")} w:instr="{escape(code, {chr(34): "&quot;"})}">'
                    f"<w:r><w:t>{escape(shown)}</w:t></w:r></w:fldSimple>"
                ],
            )
            return
        add_runs(paragraph, [*field_runs(code, [shown[:1], shown[1:]], 37), field_end()])

    def references(doc: Any) -> None:
        doc.add_heading("References", level=1)
        code = (
            ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY '
            if flavour == "zotero"
            else "ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY "
        )
        for n, entry in enumerate(ENTRIES):
            paragraph = doc.add_paragraph()
            shown = [f"{n + 1}.\t", entry]
            runs = field_runs(code, shown, 255) if n == 0 else [run_xml(t) for t in shown]
            add_runs(paragraph, runs + ([field_end()] if n == len(ENTRIES) - 1 else []))

    return seed_document(cite, references)


def endnote_cite() -> bytes:
    cited = [0]

    def cite(paragraph: Any, a: int, b: int, shown: str) -> None:
        cited[0] += 1
        cites = "".join(
            f"<Cite><Author>{escape(initials_given(FIELDS[n - 1][0][0])[0])}</Author>"
            f"<Year>{FIELDS[n - 1][4]}</Year><RecNum>{n}</RecNum>"
            f"<DisplayText>{escape(shown)}</DisplayText>{endnote_record(n - 1)}</Cite>"
            for n in (a, b)
        )
        xml = f"<EndNote>{cites}</EndNote>"
        if cited[0] != 2:
            add_runs(paragraph, [*field_runs(f" ADDIN EN.CITE {xml}", [shown], 255), field_end()])
            return
        # EndNote's other way: the XML base64 in w:fldData, a nested EN.CITE.DATA field
        data = base64.b64encode(xml.encode("utf-8")).decode("ascii")
        outer = field_runs(" ADDIN EN.CITE ", [], 255, data)[:-1]  # no separate yet
        inner = field_runs(" ADDIN EN.CITE.DATA ", [], 255, data)[:-1]
        w = nsdecls("w")
        add_runs(
            paragraph,
            [
                *outer,
                *inner,
                field_end(),
                f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>',
                run_xml(shown),
                field_end(),
            ],
        )

    def references(doc: Any) -> None:
        doc.add_heading("References", level=1)
        for n, entry in enumerate(ENTRIES):
            paragraph = doc.add_paragraph()
            shown = [f"{n + 1}.\t", entry]
            if n == 0:
                runs = field_runs(" ADDIN EN.REFLIST ", shown, 255)
            else:
                runs = [run_xml(t) for t in shown]
            add_runs(paragraph, runs + ([field_end()] if n == len(ENTRIES) - 1 else []))

    return seed_document(cite, references)


def endnotes() -> bytes:
    """References as endnotes: each marker "[a, b]" becomes two endnote marks."""

    def cite(paragraph: Any, a: int, b: int, shown: str) -> None:
        w = nsdecls("w")
        for n in (a, b):
            add_runs(
                paragraph,
                [
                    f'<w:r {w}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:endnoteReference w:id="{n}"/></w:r>'
                ],
            )

    blob = seed_document(cite, lambda doc: None)
    notes = "".join(
        f'<w:endnote w:id="{n + 1}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
        f'</w:rPr><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(entry)}</w:t>'
        "</w:r></w:p></w:endnote>"
        for n, entry in enumerate(ENTRIES)
    )
    endnotes_xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:endnotes {nsdecls('w')}>"
        '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:endnote>"
        '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:endnote>"
        f"{notes}</w:endnotes>"
    )
    return add_part(
        blob,
        "word/endnotes.xml",
        endnotes_xml.encode("utf-8"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
    )


def add_part(blob: bytes, name: str, data: bytes, content_type: str, rel_type: str) -> bytes:
    """Copy the package with one more part, its relationship and its content type."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode(),
                )
            elif info.filename == "word/_rels/document.xml.rels":
                target = name.removeprefix("word/")
                content = content.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rId90" Type="{rel_type}" Target="{target}"/>'
                    "</Relationships>".encode(),
                )
            dst.writestr(info, content)
        dst.writestr(name, data)
    return out.getvalue()


def billion_laughs(blob: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + "".join(
            f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
            for i in range(1, 10)
        )
        + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        'main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>\n'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = bomb.encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, data)
    return out.getvalue()


def main() -> None:
    files = {
        "docx_numbered.docx": numbered(),
        "docx_zotero.docx": csl_document("zotero"),
        "docx_mendeley.docx": csl_document("mendeley"),
        "docx_endnote_cite.docx": endnote_cite(),
        "docx_endnotes.docx": endnotes(),
    }
    files["docx_truncated.docx"] = files["docx_numbered.docx"][
        : len(files["docx_numbered.docx"]) // 2
    ]
    files["docx_billion_laughs.docx"] = billion_laughs(files["docx_numbered.docx"])
    for name, blob in files.items():
        (HERE / name).write_bytes(blob)
        print(f"{name}: {len(blob)} bytes")


if __name__ == "__main__":
    main()
