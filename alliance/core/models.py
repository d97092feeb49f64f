from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One action a person took on the alliance's data (`app.noun.verb`), for staff to review."""

    action = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"


class OutboundMessage(models.Model):
    """One message sent to one recipient through `core.mail`: the alliance's outbound mail log.

    `kind` says what the message is (`network.welcome`, `account.login_code`...), so the apps that
    send mail can find their own; the log itself knows no domain.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"), max_length=254, db_index=True)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}"
