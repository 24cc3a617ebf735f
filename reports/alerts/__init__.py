"""Deadline alerts: rules (pure), the ledger, the scan, channels and the pages around them.

The pipeline, each step idempotent and windowed so a missed or repeated run loses and
duplicates nothing:

    scan      open deadlines whose `next_alert_at` has passed -> `Alert` rows (the ledger)
    fan_out   new alerts -> one `AlertDelivery` per recipient and channel
    dispatch  due deliveries -> a bounded number of broker messages
    send      one message -> e-mails, webhook POSTs, daily digests (the Celery worker)
"""
