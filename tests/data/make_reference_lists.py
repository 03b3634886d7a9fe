"""Write the seed article's reference list as RIS, CSL-JSON and EndNote XML (run by hand).

    python tests/data/make_reference_lists.py

The fields are those citecheck's text parser reads from the seed article itself (nothing is
added: no identifier the article does not print), so each file must give back the same
references, and the same findings, as the text version.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))

from citecheck.ingest import read_manuscript  # noqa: E402
from citecheck.references import read_references  # noqa: E402


def main() -> None:
    seed = read_manuscript(HERE.parent.parent / "examples" / "001_ea8cd2c476dabe3b.txt")
    refs = read_references(seed.text)
    ris, items, records = [], [], []
    for i, r in enumerate(refs, start=1):
        first, _, last = (r.pages or "").partition("-")
        ris += ["TY  - JOUR"]
        ris += [f"AU  - {a.family}, {a.initials}" for a in r.authors]
        ris += ["AU  - et al."] if r.et_al else []
        ris += [
            f"{tag}  - {value}"
            for tag, value in (
                ("TI", r.title),
                ("JO", r.container),
                ("PY", r.year),
                ("VL", r.volume),
                ("IS", r.issue),
                ("SP", first),
                ("EP", last),
            )
            if value
        ]
        ris += ["ER  - ", ""]
        item: dict[str, object] = {"id": f"ref{i}", "type": "article-journal"}
        item["author"] = [{"family": a.family, "given": a.initials} for a in r.authors]
        if r.et_al:
            item["author"].append({"literal": "et al."})  # type: ignore[union-attr]
        for key, value in (
            ("title", r.title),
            ("container-title", r.container),
            ("volume", r.volume),
            ("issue", r.issue),
            ("page", r.pages),
        ):
            if value:
                item[key] = value
        if r.year:
            item["issued"] = {"date-parts": [[r.year]]}
        items.append(item)
        authors = "".join(
            f'<author><style face="normal">{escape(a.family)}, {escape(a.initials)}</style></author>'
            for a in r.authors
        ) + ('<author><style face="normal">et al.</style></author>' if r.et_al else "")
        fields = "".join(
            f'<{tag}><style face="normal">{escape(str(value))}</style></{tag}>'
            for tag, value in (("volume", r.volume), ("number", r.issue), ("pages", r.pages))
            if value
        )
        records.append(
            '<record><ref-type name="Journal Article">17</ref-type>'
            f"<contributors><authors>{authors}</authors></contributors>"
            f'<titles><title><style face="normal">{escape(r.title or "")}</style></title>'
            f'<secondary-title><style face="normal">{escape(r.container or "")}</style>'
            "</secondary-title></titles>"
            f'{fields}<dates><year><style face="normal">{r.year or ""}</style></year></dates>'
            "</record>"
        )
    (HERE / "seed_refs.ris").write_text("\n".join(ris), encoding="utf-8")
    (HERE / "seed_refs.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
    (HERE / "seed_refs_endnote.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n'
        + "\n".join(records)
        + "\n</records></xml>\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
