"""Digests on a schedule: the jobs file (TOML), cron expressions, the due rule, and runs
once, forever (APScheduler) or exported as crontab and systemd units.
Open ``runner`` first; ``jobs`` reads the jobs file and ``cron`` parses expressions."""
