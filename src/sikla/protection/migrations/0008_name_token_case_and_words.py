"""The blind index of names carries the child's case and the number of words of the whole name,
and its index carries them too: a search by name reads the index alone (no child, no second pass
over each child's words)."""

from django.db import migrations, models

BACKFILL = """
UPDATE protection_childnametoken
SET case_id = (
        SELECT c.case_id FROM protection_child c WHERE c.id = protection_childnametoken.child_id
    ),
    words = (
        SELECT count(*) FROM protection_childnametoken t
        WHERE t.child_id = protection_childnametoken.child_id
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0007_nik_reveal_and_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="childnametoken",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="protection.case",
            ),
        ),
        migrations.AddField(
            model_name="childnametoken",
            name="words",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
        migrations.AlterField(
            model_name="childnametoken",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="protection.case",
            ),
        ),
        migrations.AlterField(
            model_name="childnametoken",
            name="words",
            field=models.PositiveSmallIntegerField(),
        ),
        migrations.RemoveIndex(
            model_name="childnametoken",
            name="nametoken_lg_token_idx",
        ),
        migrations.AddIndex(
            model_name="childnametoken",
            index=models.Index(
                fields=["local_government", "token"],
                include=["child", "case", "words"],
                name="nametoken_lg_token_idx",
            ),
        ),
    ]
