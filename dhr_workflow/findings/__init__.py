"""The sections of the overview report and executive summary that only the chair can write (issue 13), stored in
the system as text with every version kept, and read into the documents (dhr_workflow.cases.facts names
`findings.sections` as an extension).

Public, by module:
- tables: ReportSection
- sections: SECTIONS, known_section, write_section, sections_of, history_of, document_data
"""
