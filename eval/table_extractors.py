import time, json, sys
from pathlib import Path
import pdfplumber, pymupdf
from ingest.tables import table_rows
corpus = Path(sys.argv[1]); truth = json.loads((corpus/"truth.json").read_text())
def plumber(path):
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            out += [(page.page_number, t) for t in page.extract_tables()]
    return out
def mupdf(path):
    out = []
    doc = pymupdf.open(path)
    for page in doc:
        out += [(page.number + 1, t.extract()) for t in page.find_tables().tables]
    return out
for name, fn in (("pdfplumber", plumber), ("pymupdf", mupdf)):
    ok = total = 0; t0 = time.perf_counter()
    for pdf in sorted((corpus/"files"/"pdf").glob("*.pdf")):
        got = {}
        for page, grid in fn(pdf):
            for row in table_rows(grid):
                for cell in row.cells:
                    got[(row.label, cell.role, cell.year)] = (cell.value, page)
        for f in truth["figures"]:
            if f["source"] != pdf.name or f["kind"] != "table": continue
            total += 1
            ok += got.get((f["label"], f["role"], f["year"])) == (f["value"], f["page"])
    print(f"{name}: {ok}/{total} table cells with the right row, column role and year, and page; {time.perf_counter()-t0:.2f}s for 4 PDFs")
