from django.db import migrations

from alliance.network.reference import ROLES, SECTORS, STATES


def load(apps, schema_editor):
    State = apps.get_model("network", "State")
    Sector = apps.get_model("network", "Sector")
    Role = apps.get_model("network", "Role")
    for code, name in STATES:
        State.objects.update_or_create(code=code, defaults={"name": name})
    for position, (slug, name) in enumerate(SECTORS):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (code, name) in enumerate(ROLES):
        Role.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
