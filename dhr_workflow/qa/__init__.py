"""Home Office quality assurance as itemised rounds (issue 13): each feedback letter is a round (the letter's date and
the QA panel meeting's), its points are items, and each item gets a response and where in the report it was
addressed. The `qa_items_open` guard fact (for `complete_amendments` and a resubmission) and the resubmission cover
letter's data come from here; dhr_workflow.cases.facts names `qa.rounds` as an extension.

Public, by module:
- tables: QaRound, QaItem
- rounds: open_round, add_item, answer_item, items_of, open_items, qa_facts, document_data
- item_counts: open_items_of (the fact's Core reader, for `dhr case show`)
"""
