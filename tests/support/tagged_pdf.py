"""What makes a PDF tagged, checked the way a screen reader would meet it.

`assert_tagged(pdf)` reads a PDF back with pypdf and checks that it is a tagged PDF a screen reader
can follow, not only that a structure tree is there:
- the catalogue says it is marked (/MarkInfo /Marked true), names its language (/Lang) and shows
  its title (/ViewerPreferences /DisplayDocTitle, with /Title set);
- every page belongs to the structure tree (/StructParents, with an entry in the parent tree), and
  every marked piece of content on it (each MCID) leads to a structure element on that page
  which lists it: nothing is drawn outside the tree except artifacts;
- every link has its own entry (/StructParent) leading to a /Link element;
- every structure element's parent (/P) is the element that lists it, and the tree visits the
  pages in order (reading order agrees with page order).
Returns the reader and the pages in the order the tree reads them.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MCID = re.compile(rb"/MCID\s+(\d+)")


def _number_tree(node):
    node = node.get_object()
    nums = node.get("/Nums") or []
    for key, value in zip(nums[0::2], nums[1::2], strict=True):
        yield int(key), value
    for kid in node.get("/Kids") or []:
        yield from _number_tree(kid)


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def assert_tagged(pdf: bytes) -> tuple[PdfReader, list[int]]:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"], "not marked as tagged"
    assert str(root.get("/Lang", "")).lower().startswith("en"), root.get("/Lang")
    assert reader.metadata.title, "no title"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"], "the viewer is not told to show the title"
    tree = root["/StructTreeRoot"].get_object()
    parents = dict(_number_tree(tree["/ParentTree"]))
    page_numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}

    # Walk the tree: parents, and the order it visits the pages in.
    visited_pages: list[int] = []
    listed: dict[int, set[int]] = {}  # element idnum -> the MCIDs it lists
    stack = [(kid, tree.indirect_reference, None) for kid in reversed(_kids(tree))]
    while stack:
        kid, parent, page = stack.pop()
        if isinstance(kid, int):  # an MCID on the element's page
            assert page is not None, "marked content with no page"
            visited_pages.append(page)
            continue
        item = kid.get_object()
        assert isinstance(item, DictionaryObject)
        kind = item.get("/Type", "/StructElem")
        if kind in ("/MCR", "/OBJR"):
            continue
        assert isinstance(kid, IndirectObject), "a structure element that is not an indirect object"
        assert item.raw_get("/P").idnum == parent.idnum, f"{item.get('/S')} does not name its parent"
        on = item.raw_get("/Pg") if "/Pg" in item else None
        element_page = page_numbers[on.idnum] if on is not None else page
        listed[kid.idnum] = {int(k) for k in _kids(item) if isinstance(k, int)}
        stack.extend((child, kid, element_page) for child in reversed(_kids(item)))
    assert visited_pages == sorted(visited_pages), "the tree does not read the pages in order"

    for number, page in enumerate(reader.pages):
        assert "/StructParents" in page, f"page {number + 1} is not in the structure tree"
        entry = parents[int(page["/StructParents"])].get_object()
        data = page.get_contents().get_data() if page.get_contents() is not None else b""
        for mcid in {int(found) for found in MCID.findall(data)}:
            element = entry[mcid]
            assert element.idnum in listed, f"page {number + 1}: MCID {mcid} leads outside the tree"
            assert mcid in listed[element.idnum], f"page {number + 1}: MCID {mcid}'s element does not list it"
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                element = parents[int(annotation["/StructParent"])].get_object()
                assert element["/S"] == "/Link"
    return reader, sorted(set(visited_pages))


def structure(reader: PdfReader) -> list[tuple[str, str]]:
    """(type, title) of each element directly under the document element, in order: a pack's
    papers are the /Sect elements, titled with the papers' titles."""
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    return [(str(kid.get_object()["/S"]), str(kid.get_object().get("/T", ""))) for kid in document["/K"]]


def top_element(reader: PdfReader, title: str):
    """The element directly under the document element titled `title` (a paper in a pack)."""
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    [element] = [kid.get_object() for kid in document["/K"] if kid.get_object().get("/T") == title]
    return element


def descendants(element) -> list[str]:
    """The types (/S) of every structure element under `element`."""
    found, stack = [], [element]
    while stack:
        for kid in _kids(stack.pop().get_object()):
            if not isinstance(kid, int) and kid.get_object().get("/Type", "/StructElem") == "/StructElem":
                found.append(str(kid.get_object()["/S"]))
                stack.append(kid)
    return found
