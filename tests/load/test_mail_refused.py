"""The mail server refusing for a while ("451 try again later" to every recipient): a real
Celery worker retries each send with a growing pause, and once the server accepts again every
message arrives exactly once. (tests/load/drills.py --only smtp refuses for a whole minute
against `make prod-local`; here the refusal lasts a few seconds and the pauses are short.)"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from network.models import Invitation
from tests.factories import InvitationFactory
from tests.load.servers import database_url_of
from tests.load.smtp_sink import SmtpSink
from tests.load.test_worker_killed import wait_until, worker

pytestmark = pytest.mark.django_db(transaction=True)
INVITED = 6
REFUSING_SECONDS = 6
FAST_RETRIES = {"MAIL_RETRY_FIRST_SECONDS": "1", "MAIL_RETRY_MAX_SECONDS": "2"}


def test_mail_refused_for_a_while_is_retried_and_each_message_arrives_once():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: run through tests/services.py")
    invitations = InvitationFactory.create_batch(INVITED)
    addresses = {invitation.email for invitation in invitations}
    with SmtpSink() as sink:
        sink.refusing.set()
        process = worker(database_url_of(connection.settings_dict), sink, **FAST_RETRIES)
        try:
            for invitation in invitations:
                requested = timezone.now().isoformat()
                celery_app.send_task(
                    "network.tasks.send_invitation", args=[invitation.pk, requested]
                )
            wait_until(lambda: len(sink.refusals) >= INVITED, 60, "every send to be refused")
            time.sleep(REFUSING_SECONDS)
            sink.refusing.clear()
            wait_until(lambda: len(sink.messages) >= INVITED, 30, "every invitation after")
            time.sleep(3)  # a send made twice would arrive now
        finally:
            process.terminate()
            process.wait(20)

    refused = Counter(rcpt for _, rcpt in sink.refusals)
    assert all(any(address in rcpt for rcpt in refused) for address in addresses)
    assert max(refused.values()) >= 3, f"not retried while refusing: {refused}"
    recipients = Counter(str(message["To"]) for message in sink.messages)
    assert set(recipients) == addresses and max(recipients.values()) == 1
    message_ids = {message["Message-ID"] for message in sink.messages}
    assert len(message_ids) == INVITED
    assert Invitation.objects.filter(pk__in=[i.pk for i in invitations], sent_at=None).count() == 0
