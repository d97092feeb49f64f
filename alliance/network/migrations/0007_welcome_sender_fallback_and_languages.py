from django.db import migrations, models
import django.db.models.deletion


def senders_so_far_were_the_committee(apps, schema_editor):
    apps.get_model("network", "Welcome").objects.filter(sender_role="").update(sender_role="steering")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_identity_signup_submitted_person_language"),
    ]

    operations = [
        # The welcome texts written so far are in the site's default language, English.
        migrations.AddField(
            model_name="welcometemplate",
            name="language",
            field=models.CharField(default="en", max_length=10, verbose_name="language"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalwelcometemplate",
            name="language",
            field=models.CharField(default="en", max_length=10, verbose_name="language"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="welcome",
            name="sender_role",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="welcome",
            name="sender",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="welcomes_sent",
                to="network.person",
            ),
        ),
        migrations.AlterField(
            model_name="welcome",
            name="status",
            field=models.CharField(
                choices=[
                    ("waiting", "Waiting for a sender"),
                    ("pending", "Waiting to be sent"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(senders_so_far_were_the_committee, migrations.RunPython.noop),
    ]
