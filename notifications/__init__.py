"""Delivery channels (SMTP, GOV.UK Notify, calendar invites, in-app) and the Celery tasks that drive them."""
