from django.db import migrations, models

from journal.triggers import count_leans_by_day, unstamp_days_of_leans


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0013_full_weight_lean_named_once'),
    ]

    operations = [
        unstamp_days_of_leans(),
        migrations.AddField(
            model_name='daystamp',
            name='leans',
            field=models.IntegerField(default=0),
        ),
        # From now on the day stamps' triggers count each day's leans; the leans already
        # logged are counted once here.
        count_leans_by_day(),
    ]
