"""Where a PDF page paints, in points on the page, whoever made it: WeasyPrint paints in CSS px under a 0.75 scale,
Typst in points under a flip per element, so what a content stream says must go through its transformation matrix
(q, Q and cm) before two renderers' pages compare."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: a cm operand multiplies the current matrix from the left)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def walk(page: Any, operators: str) -> Iterator[tuple[list[Any], str, Matrix]]:
    """Each of `operators` on the page, with the transformation matrix in force where it stands."""
    stack: list[Matrix] = []
    ctm = IDENTITY
    for operands, op in pikepdf.parse_content_stream(page, f"q Q cm {operators}"):
        name = str(op)
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop() if stack else IDENTITY
        elif name == "cm":
            ctm = _times(tuple(float(x) for x in operands), ctm)  # type: ignore[arg-type]
        else:
            yield list(operands), name, ctm


def scale(ctm: Matrix) -> float:
    """How much the matrix enlarges a length (the square root of its determinant's size)."""
    a, b, c, d, _, _ = ctm
    return float(abs(a * d - b * c) ** 0.5)


def x_on_page(ctm: Matrix, x: float, y: float) -> float:
    a, _, c, _, e, _ = ctm
    return a * x + c * y + e


def painted_right_edge(page: Any) -> float:
    """The rightmost x, in points, of every rectangle and path the page paints (filled or stroked)."""
    edges = []
    for operands, op, ctm in walk(page, "re m l"):
        values = [float(v) for v in operands]
        if op == "re":
            x, y, w, h = values
            edges += [x_on_page(ctm, x, y), x_on_page(ctm, x + w, y + h)]
        else:
            edges.append(x_on_page(ctm, values[0], values[1]))
    return max(edges, default=0.0)
