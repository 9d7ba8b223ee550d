"""The family's involvement in a review (issue 13): family members and friends as parties of the case with how they
want to be involved (contact, language and accessibility needs, advocate, consent to the pseudonym, thanks by name),
and a need-to-know log of every contact with them. The family letter's data comes from here; dhr_workflow.cases.facts
names `family.involvement` as an extension.

Public, by module:
- tables: FamilyMember, FamilyContact
- involvement: ADVOCATES, CONTACT_WAYS, add_member, record_contact, members_of, contacts_of, document_data
"""
