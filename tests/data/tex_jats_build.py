"""Build tex_elife05502.{tex,bib} and tex_elife05502_gold.json from an eLife JATS article.

Run by hand (not by the tests): ``python tests/data/tex_jats_build.py PATH/elife05502.xml``.
The .bib holds every element-citation's fields as BibTeX would (names "Surname, Given",
non-ASCII letters as LaTeX accents, italics as \\emph, pages with "--"); the .tex is the
article's title, abstract and Introduction with each bibr xref turned into a \\cite, and a
\\nocite{*} so every entry is listed. The gold file is the same fields read straight from
the JATS, the ground truth the LaTeX reader must give back.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from lxml import etree

HERE = Path(__file__).parent
STEM = "tex_elife05502"
SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u030c": "v"}


def _doi_link(url: str | None) -> str | None:
    m = re.search(r"doi\.org/(10\.\d{4,9}/\S+)", url or "", re.IGNORECASE)
    return m.group(1).lower() if m else None


def plain(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    return " ".join("".join(el.itertext()).split()) or None


def latex(text: str) -> str:
    out = []
    for ch in text:
        if ch in SPECIAL:
            out.append(SPECIAL[ch])
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        if marks and len(marks) == 1 and marks[0] in ACCENTS and base.isascii():
            out.append(f"{{\\{ACCENTS[marks[0]]}{base}}}")
        else:
            out.append(ch)
    return "".join(out)


def marked(el: etree._Element | None) -> str:
    """Element text as LaTeX: <italic> -> \\emph{}."""
    if el is None:
        return ""
    parts = [latex(el.text or "")]
    for child in el:
        inner = marked(child)
        parts.append(f"\\emph{{{inner}}}" if child.tag == "italic" else inner)
        parts.append(latex(child.tail or ""))
    return " ".join("".join(parts).split())


def initials(given: str) -> str:
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return given
    return "".join(w[0] for w in re.split(r"[\s.\-]+", given) if w and w[0].isalpha()).upper()


def build(jats: Path) -> None:
    tree = etree.parse(str(jats))
    keys: dict[str, str] = {}
    bib: list[str] = [
        f"% Every element-citation of eLife {jats.stem} (CC-BY 4.0), as BibTeX; built by",
        "% tex_jats_build.py from elifesciences/elife-tools tests/sample-xml/elife05502.xml.",
        "",
    ]
    gold: dict[str, dict[str, object]] = {}
    for ref in tree.iter("ref"):
        ec = ref.find("element-citation")
        first = ec.find(".//surname")
        stem = first.text if first is not None else plain(ec.find(".//collab")) or "anon"
        stem = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", stem).lower())[:12]
        key = f"{stem}{ec.findtext('year')}"
        while key in keys.values():
            key += "x"
        keys[ref.get("id")] = key
        names, people = [], []
        for person in ec.find("person-group"):
            if person.tag == "name":
                family, given = person.findtext("surname"), person.findtext("given-names") or ""
                suffix = person.findtext("suffix")
                names.append(
                    f"{latex(family)}, {suffix}, {given}" if suffix else f"{latex(family)}, {given}"
                )
                people.append([family, initials(given)])
            elif person.tag == "collab":
                names.append(f"{{{latex(plain(person))}}}")
                people.append([plain(person), ""])
            elif person.tag == "etal":
                names.append("others")
        kind = ec.get("publication-type")
        title_el = ec.find("article-title")
        if title_el is None:
            title_el = ec.find("chapter-title")
        fields: dict[str, str] = {"author": " and ".join(names)}
        if kind == "journal":
            entry = "article"
            fields["title"], fields["journal"] = marked(title_el), marked(ec.find("source"))
            title, container = plain(title_el), plain(ec.find("source"))
        elif title_el is not None:
            entry = "incollection"
            fields["title"], fields["booktitle"] = marked(title_el), marked(ec.find("source"))
            title, container = plain(title_el), plain(ec.find("source"))
        else:
            entry = "book"
            fields["title"] = marked(ec.find("source"))
            title, container = plain(ec.find("source")), None
        fields["year"] = ec.findtext("year")
        for name, tag in (("volume", "volume"), ("number", "issue")):
            if ec.findtext(tag):
                fields[name] = ec.findtext(tag)
        fpage, lpage = ec.findtext("fpage"), ec.findtext("lpage")
        pages = ec.findtext("elocation-id")
        if fpage:
            pages = f"{fpage}-{lpage}" if lpage else fpage
            fields["pages"] = f"{fpage}--{lpage}" if lpage else fpage
        elif pages:
            fields["pages"] = pages
        doi = ec.findtext("pub-id[@pub-id-type='doi']")
        pmid = ec.findtext("pub-id[@pub-id-type='pmid']")
        url = plain(ec.find("ext-link"))
        if doi:
            fields["doi"] = doi
        if pmid:
            fields["eprint"], fields["eprinttype"] = pmid, "pubmed"
        if url:
            fields["url"] = url
        bib.append(f"@{entry}{{{key},")
        bib += [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
        bib += ["}", ""]
        gold[key] = {
            "authors": people,
            "title": title,
            "container": container,
            "year": int(ec.findtext("year")[:4]),
            "volume": ec.findtext("volume"),
            "issue": ec.findtext("issue"),
            "pages": pages,
            # A doi.org link is the DOI as cited (citecheck reads it so from any field).
            "doi": doi.lower() if doi else _doi_link(url),
            "pmid": pmid,
            "url": url,
        }
    (HERE / f"{STEM}.bib").write_text("\n".join(bib), encoding="utf-8")
    (HERE / f"{STEM}_gold.json").write_text(
        json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (HERE / f"{STEM}.tex").write_text(tex(tree, keys), encoding="utf-8")


def paragraph(p: etree._Element, keys: dict[str, str]) -> str:
    parts = [latex(p.text or "")]
    for child in p:
        if child.tag == "xref" and child.get("ref-type") == "bibr":
            parts.append(f"\\cite{{{keys[child.get('rid')]}}}")
        elif child.tag == "italic":
            parts.append(f"\\emph{{{marked(child)}}}")
        else:
            parts.append(marked(child))
        parts.append(latex(child.tail or ""))
    text = "".join(parts)
    # "(\cite{a}; \cite{b})" -> "\citep{a,b}"; a narrative citation stays \citet
    group = re.compile(r"\((?:\\cite\{[^}]+\}(?:;\s*)?)+\)")
    text = group.sub(
        lambda m: "\\citep{" + ",".join(re.findall(r"\\cite\{([^}]+)\}", m.group(0))) + "}", text
    )
    text = text.replace("\\cite{", "\\citet{")
    return "\n".join(_wrap(" ".join(text.split())))


def _wrap(text: str, width: int = 96) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def tex(tree: etree._ElementTree, keys: dict[str, str]) -> str:
    title = marked(tree.find(".//article-meta//article-title"))
    abstract = tree.find(".//article-meta/abstract")
    intro = tree.find(".//body/sec")
    out = [
        f"% eLife {STEM[4:]} (CC-BY 4.0): title, abstract and {plain(intro.find('title'))}, "
        "converted from JATS by tex_jats_build.py.",
        "\\documentclass{article}",
        "\\usepackage{natbib}",
        f"\\title{{{title}}}",
        "\\begin{document}",
        "\\maketitle",
        "\\begin{abstract}",
        *(paragraph(p, keys) for p in abstract.findall("p")),
        "\\end{abstract}",
        f"\\section{{{plain(intro.find('title'))}}}",
    ]
    for p in intro.findall("p"):
        out += [paragraph(p, keys), ""]
    out += [
        "\\nocite{*}",
        "\\bibliographystyle{plainnat}",
        f"\\bibliography{{{STEM}}}",
        "\\end{document}",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
