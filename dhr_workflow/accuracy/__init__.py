"""The factual-accuracy round (issue 12): a stored version of the draft overview report circulated to the agencies
in scope (and named recipients such as the police senior investigating officer and the CPS) with a deadline, their
answers (comments as text and/or a file, or no comments), the chair's response to each comment, the comments log
document, and the gate on `panel_agree`. It sits beside findings: it references stored document versions, which
live in documents, above agencies.

Public, by module:
- case_link: accuracy_facts, document_data, answered_in_round (an extension of cases/facts.py)
- problem_facts: accuracy_problem (the fact's Core reader, for `dhr case show`)
- rounds: Upload, circulate, answer, respond, close, latest_round, awaited_in
- rules: STATUS_LABELS, ANSWERED, parse_recipient, close_problem, panel_problem
- tables: AccuracyRound, AccuracyRecipient, AccuracyComment
- views: rounds_of, stored_drafts, for_my_agency, open_comment_file, round_views
"""
