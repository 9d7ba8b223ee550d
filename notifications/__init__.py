"""Notifications: everything about telling people. The reminder ledger (notifications.ledger) that other capabilities
write in their own transactions; claims, delivery exactly once, message wording, channels (SMTP, Notify, ICS,
in-app); and the entry points that run delivery: the Celery app and tasks and the embedded scheduler.

Public, by module:
- admin: list_reminders, list_attempts, list_problems, resolve_problem, set_preference, get_preference
- calendar_invites: meeting_invite
- celery_app: QUEUE, SWEEP_QUEUE, WORKER_QUEUES, time_limit, make_celery
- claims: SweepResult, claim_batch, locking, follow_up
- delivery: sweep, deliver, backoff
- document_tasks: render_document, render_async_or_inline
- embedded: SchedulerHandle, start_embedded_scheduler
- in_app: list_in_app, mark_read
- leases: MIN_DELIVERIES_PER_SECOND, LeaseClock, renew_every, usable, failover_bound, HeldBatch, renew_claimed
- invite_messages: InviteWording, render_invitation
- messages: Described, SubjectInfo, describe, headline, long_date, Item, RenderedMessage, item_for, render_reminder,
  render_digest, render_message, describe_commentary
- runtime: process_context
- send_policy: SendWindow, parse_window, may_send_now
- tables: DeliveryAttempt, InAppNotification, NotificationPreference, DeliveryProblem
- tasks: register
- transport: TemporaryFailure, LeaseExpired, ensure_still_ours, PermanentFailure, Outgoing, lease_margin,
  EarlierAttempt, Earlier, Transport
"""
