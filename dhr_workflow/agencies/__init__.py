"""Agencies and their evidence (issue 12): the partnership's directory of agencies, which are in scope on a case,
evidence requests with working-day deadlines and chasers, the files received, and what guards know of them.

Public, by module:
- case_facts: agency_facts, latest_status_by_agency, scoping_returns_at (an extension of
  cases/facts.py)
- directory: slug_for, add_agency, agency_by_key, add_contact, list_agencies, agencies_of, scope_rows, in_scope,
  change_scope, scope_view, case_scope
- evidence: request_evidence, Upload, receive, extend, settle_without_evidence, list_requests,
  requests_for_my_agency, open_file
- report_data: report_data, contributing_agencies, chronology_overview (the overview report's and executive summary's
  agencies and chronology summary, merged into every document's data by documents/context.py)
- reminders: subject_for, chaser_on, planned, sync_request, sync_case, plan_follow_up, contacts_on_case,
  coordinators_of
- rules: AGENCY_KINDS, EVIDENCE_KINDS, STATUS_LABELS, OPEN_STATUSES, SETTLED_FOR_DRAFTING, parse_choice, days_overdue,
  sort_key, drafting_problem
- tables: Agency, AgencyContact, CaseAgency, EvidenceRequest, EvidenceExtension, EvidenceFile
"""
