"""Make the PDF test files (run by hand once; the outputs are committed).

    python tests/data/make_pdfs.py            # writes tests/data/pdf_*.pdf and the JATS gold
    python tests/data/make_pdfs.py --big X.pdf [PAGES]   # a long two-column PDF for timing

Needs fpdf2 and the DejaVu fonts (Debian: fonts-dejavu-core). Words are placed one by one
with our own justified line breaking, as typesetters do, so the reader has to rebuild spaces,
lines, columns and superscripts from glyph positions alone. Soft hyphens (U+00AD) in the source
mark where a word may be split at a line end ("revolu-" / "tionary").
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod
from lxml import etree

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SEED = ROOT / "examples" / "001_ea8cd2c476dabe3b.txt"
JATS = HERE / "pdf_source_pntd.0002065.nxml"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
WHEN = datetime(2024, 11, 29, tzinfo=UTC)

SUP_OPEN, SUP_CLOSE = "\x01", "\x02"  # a superscript run inside a word
SOFT = "\u00ad"


@dataclass
class Style:
    size: float = 10.0
    bold: bool = False
    leading: float = 1.3  # line pitch, in font sizes
    before: float = 0.0  # extra space above the paragraph, in font sizes
    justify: bool = True
    indent: float = 0.0  # hanging indent of continuation lines, in points


BODY = Style()
HEADING = Style(bold=True, before=0.9, justify=False)


class Page(FPDF):
    def __init__(self, header: tuple[str, str], footer: tuple[str, str]) -> None:
        super().__init__(unit="pt", format="A4")
        self.running = (header, footer)
        self.set_auto_page_break(False)
        self.set_creation_date(WHEN)
        self.set_title("")
        self.add_font("Serif", "", str(FONTS / "DejaVuSerif.ttf"))
        self.add_font("Serif", "B", str(FONTS / "DejaVuSerif-Bold.ttf"))

    def header(self) -> None:
        (left, right), _ = self.running
        self.set_font("Serif", "", 7.5)
        self.text(50, 36, left)
        self.text(self.w - 50 - self.get_string_width(right), 36, right)

    def footer(self) -> None:
        _, (left, right) = self.running
        self.set_font("Serif", "", 7)
        self.text(50, self.h - 34, left)
        right = right.replace("{page}", str(self.page_no()))
        self.text(self.w - 50 - self.get_string_width(right), self.h - 24, right)


class Flow:
    """Paragraphs poured into columns, page after page."""

    def __init__(self, pdf: Page, columns: int, gutter: float = 20.0) -> None:
        self.pdf = pdf
        self.left, self.right, self.top, self.bottom = 50.0, pdf.w - 50.0, 62.0, pdf.h - 56.0
        self.columns, self.gutter = columns, gutter
        self.width = (self.right - self.left - gutter * (columns - 1)) / columns
        self.column = 0
        self.y = self.top
        self.floor = self.bottom  # page 1 keeps room for its footnote
        pdf.add_page()

    def x(self) -> float:
        return self.left + self.column * (self.width + self.gutter)

    def span(self, text: str, style: Style) -> None:
        """Full-width text above the columns (title block, abstract)."""
        self.y += style.before * style.size
        for line, last in self.lines(text, style, self.right - self.left):
            self.y += style.size * style.leading
            self.draw(line, style, self.left, self.right - self.left, last)
        self.y += 0.6 * style.size

    def para(self, text: str, style: Style = BODY) -> None:
        if self.y > self.top:
            self.y += style.before * style.size
        for i, (line, last) in enumerate(self.lines(text, style, self.width)):
            step = style.size * style.leading
            if self.y + step > self.floor:
                self.next_column()
            self.y += step
            indent = style.indent if i else 0.0
            self.draw(line, style, self.x() + indent, self.width - indent, last)

    def next_column(self) -> None:
        self.column += 1
        if self.column >= self.columns:
            self.column = 0
            self.pdf.add_page()
            self.floor = self.bottom
            self.top_of_columns = self.top
        self.y = getattr(self, "top_of_columns", self.top)

    def start_columns(self) -> None:
        self.top_of_columns = self.y

    # -- words and lines

    def pieces(self, word: str) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        for i, part in enumerate(re.split(f"[{SUP_OPEN}{SUP_CLOSE}]", word)):
            if part:
                out.append((part, i % 2 == 1))
        return out

    def width_of(self, word: str, style: Style) -> float:
        total = 0.0
        for text, sup in self.pieces(word.replace(SOFT, "")):
            self.pdf.set_font("Serif", "B" if style.bold else "", style.size * (0.62 if sup else 1))
            total += self.pdf.get_string_width(text)
        return total

    def lines(self, text: str, style: Style, width: float) -> list[tuple[list[str], bool]]:
        words = text.split()
        self.pdf.set_font("Serif", "B" if style.bold else "", style.size)
        space = self.pdf.get_string_width(" ")
        out: list[tuple[list[str], bool]] = []
        line: list[str] = []
        used = 0.0
        first_width = width
        while words:
            word = words.pop(0)
            w = self.width_of(word, style)
            room = (
                (first_width if not out else width - style.indent) - used - (space if line else 0)
            )
            if w <= room or not line:
                line.append(word)
                used += w + (space if len(line) > 1 else 0)
                continue
            if SOFT in word:  # split at the last soft hyphen that fits
                parts = word.split(SOFT)
                for k in range(len(parts) - 1, 0, -1):
                    head = "".join(parts[:k]) + "-"
                    if self.width_of(head, style) <= room:
                        line.append(head)
                        words.insert(0, SOFT.join(parts[k:]))
                        break
                else:
                    words.insert(0, word)
            else:
                words.insert(0, word)
            out.append((line, False))
            line, used = [], 0.0
        if line:
            out.append((line, True))
        return out

    def draw(self, words: list[str], style: Style, x: float, width: float, last: bool) -> None:
        words = [w.replace(SOFT, "") for w in words]
        self.pdf.set_font("Serif", "B" if style.bold else "", style.size)
        natural = sum(self.width_of(w, style) for w in words)
        space = self.pdf.get_string_width(" ")
        gap = space
        if style.justify and not last and len(words) > 1:
            gap = max(space, (width - natural) / (len(words) - 1))
        for word in words:
            for text, sup in self.pieces(word):
                size = style.size * (0.62 if sup else 1)
                self.pdf.set_font("Serif", "B" if style.bold else "", size)
                self.pdf.text(x, self.y - (0.36 * style.size if sup else 0), text)
                x += self.pdf.get_string_width(text)
            x += gap


def soften(text: str) -> str:
    """Let long lower-case words break at a line end: 'seroprevalence' -> 'seropre\xadvalence'."""

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        at = len(word) // 2
        return word[:at] + SOFT + word[at:]

    return re.sub(r"(?<![\w\-])[a-z]{11,}(?![\w\-])", split, text)


def supify(text: str) -> str:
    """'cancer [1,2].' / 'genus [1]–[3]' -> the numbers as a superscript run on the word."""
    group = r"\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]"
    pattern = re.compile(rf"\s*({group}(?:\s*[,–]\s*{group})*)")

    def repl(m: re.Match[str]) -> str:
        inner = re.sub(r"\]\s*([,–])\s*\[", r"\1", m.group(1))
        inner = inner.strip("[]").replace(" ", "")
        return f"{SUP_OPEN}{inner}{SUP_CLOSE}"

    return pattern.sub(repl, text)


# ---------------------------------------------------------------- the seed article

SEED_TITLE = "Advancing oncology: Targeted therapy in the treatment of acute lymphoblastic leukemia"
SEED_HEADER = ("J Mol Oncol Res 2024 Volume 8 Issue 6", "Mini Review")
SEED_FOOTER = (
    "Citation: Join A. Advancing oncology: Targeted therapy in the treatment of acute "
    "lymphoblastic leukemia. J Mol Oncol Res. 2024,8(6):265",
    "Page {page}",
)
# Where long words may be hyphenated at a line end (the reader must undo it).
SOFT_WORDS = {
    "revolutionary": "revolu\u00adtionary",
    "indiscriminately": "indiscrimi\u00adnately",
    "proliferation": "prolif\u00aderation",
    "transplantation": "transplan\u00adtation",
    "characterized": "charac\u00adterized",
    "infrastructure": "infra\u00adstructure",
    "underpinnings": "under\u00adpinnings",
    "comprehensive": "compre\u00adhensive",
    "accessibility": "accessi\u00adbility",
    "Immunotherapies": "Immuno\u00adtherapies",
    "otolaryngol": "otolaryn\u00adgol",
    "abnormalities": "abnor\u00admalities",
    "identification": "identifi\u00adcation",
}


def seed_parts() -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(heading or body, paragraph) pairs, the correspondence footnote, the references."""
    sys.path.insert(0, str(ROOT))
    from citecheck.references import split_references

    text = SEED.read_text()
    body = text[: text.index("\nReferences\n")]
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    parts: list[tuple[str, str]] = []
    for p in paragraphs:
        joined = re.sub(r"-\n", "-", p.strip())
        joined = " ".join(joined.split())
        if joined in ("Introduction", "Conclusion"):
            parts.append(("heading", joined))
        elif parts and parts[-1][0] == "body" and not parts[-1][1].endswith((".", "]")):
            parts[-1] = ("body", parts[-1][1] + " " + joined)  # the seed's own page break
        else:
            parts.append(("body", joined))
    for plain, soft in SOFT_WORDS.items():
        parts = [(kind, p.replace(plain, soft)) for kind, p in parts]
    parts = [(kind, p if SOFT in p else soften(p)) for kind, p in parts]
    lines = text.splitlines()
    footnote = [
        next(line for line in lines if line.startswith("*Correspondence")),
        next(line for line in lines if line.startswith("Received:")),
        next(line for line in lines if line.startswith("AAMOR-24-155333; Revised")),
    ]
    references = [e.text for e in split_references(text)]
    references = [
        r.replace("Immunotherapies", SOFT_WORDS["Immunotherapies"]).replace(
            "Metastatic", "Meta\u00adstatic"
        )
        for r in references
    ]
    return parts, footnote, references


def seed_pdf(columns: int, superscripts: bool, pages_hint: str = "") -> FPDF:
    parts, footnote, references = seed_parts()
    pdf = Page(SEED_HEADER, SEED_FOOTER)
    size = 11.0 if columns == 1 else 9.0
    leading = 1.7 if columns == 1 else 1.3  # one column: a manuscript as submitted, spaced
    heading = Style(size=size + 1, bold=True, before=0.9, justify=False)
    flow = Flow(pdf, columns)
    flow.span(SEED_TITLE, Style(size=17, bold=True, leading=1.25, justify=False))
    flow.span("Amini Join*", Style(size=size + 1, justify=False))
    flow.span("Department of Oncology, Queens University, Canada", Style(size=size, justify=False))
    flow.start_columns()
    # the correspondence footnote at the foot of page 1, as the journal prints it
    note = Style(size=6.5, leading=1.25, justify=False)
    note_lines = [ln for text in footnote for ln in flow.lines(text, note, flow.right - flow.left)]
    flow.floor = flow.bottom - len(note_lines) * 6.5 * 1.25 - 14
    y = flow.y
    flow.y = flow.floor + 8
    for line, _ in note_lines:
        flow.y += 6.5 * 1.25
        flow.draw(line, note, flow.left, flow.right - flow.left, True)
    flow.y = y
    for kind, text in parts:
        if kind == "heading":
            flow.para(text, heading)
        else:
            text = supify(text) if superscripts else text
            flow.para(text, Style(size=size, before=0.5, leading=leading))
    flow.para("References", heading)
    ref_style = Style(size=size - 1, before=0.35, leading=leading)
    for n, ref in enumerate(references, start=1):
        flow.para(f"{n}. {ref}", ref_style)
    return pdf


# ---------------------------------------------------------------- the JATS article

JATS_HEADER = (
    "PLOS Neglected Tropical Diseases | www.plosntds.org",
    "Serological Evidence of RVFV",
)
JATS_FOOTER = ("February 2013 | Volume 7 | Issue 2 | e2065", "{page}")


def text_of(el: etree._Element) -> str:
    """An element's text, tables and figures left out, footnote tails kept."""
    out = [el.text or ""]
    for child in el:
        if child.tag not in ("fig", "table-wrap", "supplementary-material", "disp-formula"):
            out.append(text_of(child))
        out.append(child.tail or "")
    return " ".join("".join(out).replace("\u2236", ":").split())


def render_citation(mc: etree._Element) -> str:
    """A PLoS mixed-citation as printed: 'Rich KM, Wanyoike F (2010) Title. Src 83: 52–57.'"""
    out = [mc.text or ""]
    for child in mc:
        if child.tag == "name":
            out.append(f"{child.findtext('surname', '')} {child.findtext('given-names', '')}")
        elif child.tag == "pub-id":
            pass
        elif child.tag in ("volume", "source"):
            out.append(f" {text_of(child)} ")
        else:
            out.append(text_of(child))
        out.append(child.tail or "")
    text = " ".join("".join(out).split())
    text = re.sub(r"\s+([,.:;])", r"\1", text)
    return text if text.endswith(".") else text + "."


def initials(given: str) -> str:
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return given
    return "".join(w[0] for w in re.split(r"[\s.\-]+", given) if w).upper()


def jats_gold(root: etree._Element) -> list[dict[str, object]]:
    gold = []
    for ref in root.iter("ref"):
        mc = ref.find("mixed-citation")
        assert mc is not None
        entry: dict[str, object] = {
            "number": int(ref.findtext("label", "0")),
            "raw": render_citation(mc),
            "type": mc.get("publication-type"),
        }
        if mc.get("publication-type") == "journal":
            names = mc.findall("name")
            fpage, lpage = mc.findtext("fpage"), mc.findtext("lpage")
            entry |= {
                "authors": [
                    [n.findtext("surname"), initials(n.findtext("given-names", ""))] for n in names
                ],
                "collab": mc.findtext("collab"),
                "title": text_of(mc.find("article-title")).rstrip("."),
                "container": mc.findtext("source"),
                "year": int(mc.findtext("year", "0")) or None,
                "volume": mc.findtext("volume"),
                "pages": f"{fpage}-{lpage}" if fpage and lpage else fpage,
            }
        gold.append(entry)
    return gold


def jats_pdf() -> tuple[FPDF, list[dict[str, object]]]:
    root = etree.parse(str(JATS)).getroot()
    pdf = Page(JATS_HEADER, JATS_FOOTER)
    flow = Flow(pdf, 2, gutter=18)
    title = text_of(root.find(".//title-group/article-title"))
    flow.span(title, Style(size=15, bold=True, leading=1.25, justify=False))
    authors = []
    for contrib in root.iterfind(".//contrib-group/contrib"):
        name = f"{contrib.findtext('name/given-names')} {contrib.findtext('name/surname')}"
        marks = ",".join(x.findtext("sup", "") for x in contrib.iterfind("xref"))
        authors.append(f"{name.replace(' ', '~')}{SUP_OPEN}{marks}{SUP_CLOSE}")
    flow.span(", ".join(authors).replace("~", "\u00a0"), Style(size=9.5, justify=False))
    for aff in root.iterfind(".//aff"):
        label = aff.findtext("label", "")
        text = text_of(aff)
        text = text[len(label) :].strip() if text.startswith(label) else text
        flow.span(f"{SUP_OPEN}{label}{SUP_CLOSE}{text}", Style(size=7.5, justify=False))
    flow.span("Abstract", Style(size=9.5, bold=True, justify=False))
    for p in root.iterfind(".//abstract/p"):
        flow.span(text_of(p), Style(size=8.5, leading=1.3))
    flow.start_columns()
    body = Style(size=8.5, before=0.45)
    heading = Style(size=9.5, bold=True, before=0.9, justify=False)
    for el in root.find("body").iter("title", "p"):
        if el.getparent().tag in ("caption", "fig", "table-wrap", "fn"):
            continue
        if el.tag == "title":
            flow.para(text_of(el), heading)
        else:
            flow.para(soften(supify(text_of(el))), body)
    flow.para("References", heading)
    gold = jats_gold(root)
    for entry in gold:
        flow.para(f"{entry['number']}. {soften(str(entry['raw']))}", Style(size=7.5, before=0.3))
    return pdf, gold


# ---------------------------------------------------------------- bad and odd files


def scanned_pdf() -> FPDF:
    """A page that is only a picture of text: no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (300, 420), 255)
    draw = ImageDraw.Draw(image)
    for i in range(28):
        draw.line((30, 40 + i * 12, 270 - (i % 5) * 15, 40 + i * 12), fill=40, width=3)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(WHEN)
    pdf.add_page()
    pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)
    return pdf


def write(pdf: FPDF, name: str) -> bytes:
    data = bytes(pdf.output())
    (HERE / name).write_bytes(data)
    print(f"{name}: {len(data) // 1024} KB, {pdf.pages_count} pages")
    return data


def big(path: Path, pages: int) -> None:
    """A long two-column PDF for timing and memory (not committed)."""
    parts, _, references = seed_parts()
    pdf = Page(SEED_HEADER, SEED_FOOTER)
    flow = Flow(pdf, 2)
    flow.span(SEED_TITLE, Style(size=17, bold=True, justify=False))
    flow.start_columns()
    while pdf.pages_count < pages:
        for kind, text in parts:
            flow.para(supify(text), HEADING if kind == "heading" else Style(size=9, before=0.5))
    flow.para("References", HEADING)
    for n, ref in enumerate(references, start=1):
        flow.para(f"{n}. {ref}", Style(size=8, before=0.35))
    data = bytes(pdf.output())
    path.write_bytes(data)
    print(f"{path}: {len(data) // 1024} KB, {pdf.pages_count} pages")


def main() -> None:
    if sys.argv[1:2] == ["--big"]:
        big(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 200)
        return
    one = write(seed_pdf(1, superscripts=False), "pdf_seed_onecolumn.pdf")
    write(seed_pdf(2, superscripts=True), "pdf_seed_twocolumn.pdf")
    pdf, gold = jats_pdf()
    write(pdf, "pdf_jats_pntd.0002065.pdf")
    (HERE / "pdf_jats_pntd.0002065.gold.json").write_text(
        json.dumps(gold, indent=1, ensure_ascii=False) + "\n"
    )
    write(scanned_pdf(), "pdf_scanned.pdf")
    locked = seed_pdf(1, superscripts=False)
    locked.set_encryption(
        owner_password="owner", user_password="secret", encryption_method=EncryptionMethod.AES_128
    )
    write(locked, "pdf_encrypted.pdf")
    restricted = seed_pdf(1, superscripts=False)
    restricted.set_encryption(owner_password="owner", encryption_method=EncryptionMethod.AES_128)
    write(restricted, "pdf_owner_password_only.pdf")
    (HERE / "pdf_truncated.pdf").write_bytes(one[: len(one) * 6 // 10])
    print(f"pdf_truncated.pdf: first {len(one) * 6 // 10} of {len(one)} bytes")


if __name__ == "__main__":
    main()
