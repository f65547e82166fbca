"""What `critics serve` sets up around the deployments: alerts through a notification block, and one writer per database."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from critics.schemas.config import Config

BLOCK_NAME = "critics-alerts"
FAILED_AUTOMATION = "critics: nightly failed"
LATE_AUTOMATION = "critics: nightly not completed by the deadline"
ENDED_BADLY = {"prefect.flow-run.Failed", "prefect.flow-run.Crashed", "prefect.flow-run.TimedOut"}
# A scheduled run becomes Pending when the runner picks it up, or Late when nothing does: either starts the clock.
STARTED = {"prefect.flow-run.Pending", "prefect.flow-run.Late"}
BODY = ("Flow run {{ flow_run.name }} of deployment {{ deployment.name }} ended {{ flow_run.state.name }}: "
        "{{ flow_run.state.message }}")
LATE_BODY = "The nightly run was not Completed by {deadline} ({timezone}); it started or was due {hours} earlier."


def writer_limit_name(db: str) -> str:
    """The global concurrency limit that lets one run at a time write this database."""
    return "critics-writer-" + hashlib.sha256(str(Path(db).resolve()).encode()).hexdigest()[:12]


def ensure_writer_limit(db: str) -> None:
    """Create (or reset to 1) the database's writer limit on the server we serve to."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
    from prefect.exceptions import ObjectNotFound

    name = writer_limit_name(db)
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
            client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=1, active=True))
        except ObjectNotFound:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))


@contextmanager
def writer_slot(db: str, log=None):
    """Inside a deployment's run: wait for the database's writer slot (a no-op where serve made no limit)."""
    from prefect.concurrency.sync import concurrency
    from prefect.runtime import deployment

    if not deployment.id:  # the CLI's runs: the file lock alone guards the database
        yield
        return
    name = writer_limit_name(db)
    if log is not None and _is_taken(name):
        log.info("Another run is writing %s: waiting for it to finish (global concurrency limit %s)", db, name)
    with concurrency(name, occupy=1):
        yield


def _is_taken(name: str) -> bool:
    """Whether the limit's slot is held now (only to say so in the log; acquiring decides)."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            limit = client.read_global_concurrency_limit_by_name(name)
        return limit.active_slots >= limit.limit
    except Exception:  # a log line must never fail a run
        return False


def create_alerts(config: Config, nightly_id) -> list[str]:
    """The notification block and the two automations from [alerts]; returns lines saying what was set up."""
    alerts = config.alerts
    if not alerts.webhook_url:
        return ["Alerts: none ([alerts] webhook_url is not set)"]
    block_id = save_webhook_block(alerts.webhook_url)
    lines = [replace_automation(failed_automation(nightly_id, block_id))]
    window = deadline_window(config.schedule, alerts.deadline)
    if alerts.deadline and window is None:
        lines.append(f"Alerts: no deadline alert: schedule {config.schedule!r} has no fixed daily hour and minute")
    elif window is not None:
        lines.append(replace_automation(late_automation(nightly_id, block_id, window, alerts.deadline, config.timezone)))
    return lines


def save_webhook_block(url: str):
    """A custom webhook notification block that POSTs {"subject", "body"} as JSON to url."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    block = CustomWebhookNotificationBlock(name=BLOCK_NAME, url=url, method="POST",
                                           json_data={"subject": "{{subject}}", "body": "{{body}}"})
    return block.save(BLOCK_NAME, overwrite=True)


def failed_automation(nightly_id, block_id):
    """Notify when a nightly run ends Failed, Crashed or TimedOut."""
    from prefect.automations import Automation, EventTrigger, Posture, SendNotification

    trigger = EventTrigger(expect=ENDED_BADLY, match_related={"prefect.resource.id": f"prefect.deployment.{nightly_id}"},
                           posture=Posture.Reactive, threshold=1, within=timedelta(0))
    action = SendNotification(block_document_id=block_id, subject="critics: nightly {{ flow_run.state.name }}",
                              body=BODY)
    return Automation(name=FAILED_AUTOMATION, trigger=trigger, actions=[action])


def late_automation(nightly_id, block_id, window: timedelta, deadline: str, timezone: str):
    """Notify when a nightly run is not Completed within the window from its start (or its due time) to the deadline."""
    from prefect.automations import Automation, EventTrigger, Posture, SendNotification

    hours = f"{window.total_seconds() / 3600:g} h"
    trigger = EventTrigger(after=STARTED, expect={"prefect.flow-run.Completed"}, for_each={"prefect.resource.id"},
                           match_related={"prefect.resource.id": f"prefect.deployment.{nightly_id}"},
                           posture=Posture.Proactive, threshold=1, within=window)
    action = SendNotification(block_document_id=block_id, subject=f"critics: nightly not completed by {deadline}",
                              body=LATE_BODY.format(deadline=deadline, timezone=timezone, hours=hours))
    return Automation(name=LATE_AUTOMATION, trigger=trigger, actions=[action])


def replace_automation(automation) -> str:
    """Create the automation, replacing any of the same name (the config may have changed)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        for old in client.read_automations_by_name(automation.name):
            client.delete_automation(old.id)
    automation.create()
    return f"Alert: {automation.name}"


def deadline_window(schedule: str, deadline: str) -> timedelta | None:
    """Time from the nightly's daily start to the deadline, both local; None without a deadline or a fixed start."""
    if not deadline:
        return None
    minute, hour = schedule.split()[:2]
    if not (minute.isdigit() and hour.isdigit()):
        return None
    due_h, due_m = (int(part) for part in deadline.split(":"))
    minutes = (due_h * 60 + due_m - int(hour) * 60 - int(minute)) % (24 * 60)
    return timedelta(minutes=minutes or 24 * 60)
