"""The reminder ledger: the table of reminders the database says are due, and the pure rules that plan when each is
sent. Cases, documents and lessons write here; notifications delivers.

Public, by module:
- rules: ReminderRule, PlannedSend, subtract_working_days, plan_sends
- tables: Reminder
"""
