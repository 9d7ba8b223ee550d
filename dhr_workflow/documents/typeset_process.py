"""`python -m dhr_workflow.documents.typeset_process`: the HTML on standard input, the Typst PDF on standard output
(ADR 0063). `typeset.to_pdf` runs it as a child process, so Typst's memo cache and any panic end with the child.
Exit code 3: Typst cannot set this document, and the last line of error output says why, in our words only."""

from __future__ import annotations

import sys

from dhr_workflow.documents.typeset import CANNOT_TYPESET, CannotTypeset, typeset


def main() -> int:
    html = sys.stdin.buffer.read().decode("utf-8")
    try:
        pdf = typeset(html)
    except CannotTypeset as err:
        sys.stderr.write(f"{err}\n")
        return CANNOT_TYPESET
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
