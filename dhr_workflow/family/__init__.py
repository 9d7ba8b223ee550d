"""The family's involvement in a review (issue 13): family members and friends as parties of the case with how they
want to be involved (contact, language and accessibility needs, advocate, consent to the pseudonym, thanks by name),
and a need-to-know log of every contact with them. The family letter's data comes from here; dhr_workflow.cases.facts
names `family.involvement` as an extension.

Public, by module:
- tables: FamilyMember, FamilyContact, FamilyTorInput, FamilyDraftShare
- involvement: ADVOCATES, CONTACT_WAYS, add_member, record_contact, members_of, member_of, contacts_of, document_data
- fields: DOCUMENT_FORMATS, PSEUDONYM_CONSENT, SHARE_WAYS, FORMAT_VARIANTS (the choices offered)
- wishes: FIELDS, update_member
- tor_input: record_tor_input, tor_inputs_of
- drafts: share_draft, shared_drafts_of, draft_versions
- letters: letter_for (the family letter for one member, in their format)
- document_data: document_data, pseudonym_basis (registered by involvement)
"""
