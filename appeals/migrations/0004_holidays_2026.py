"""The 2026 calendar of non-working days in Azerbaijan (Labour Code art. 105 and the Cabinet of
Ministers' decision on transferred days). Staff keep it current in the admin; religious
holidays (Ramazan, Qurban) move every year, so later years are added there, not in code."""

import datetime as dt

from django.db import migrations

D = dt.date
HOLIDAYS_2026 = [
    (D(2026, 1, 1), "Yeni il"),
    (D(2026, 1, 2), "Yeni il"),
    (D(2026, 1, 20), "Ümumxalq hüzn günü"),
    (D(2026, 3, 9), "Qadınlar günü (8 Mart, bazar gününün əvəzinə)"),
    (D(2026, 3, 20), "Novruz bayramı / Ramazan bayramı"),
    (D(2026, 3, 23), "Novruz bayramı"),
    (D(2026, 3, 24), "Novruz bayramı"),
    (D(2026, 3, 25), "Novruz bayramı (şənbə gününün əvəzinə)"),
    (D(2026, 3, 26), "Novruz bayramı (bazar gününün əvəzinə)"),
    (D(2026, 3, 27), "Ramazan bayramı (şənbə gününün əvəzinə)"),
    (D(2026, 5, 28), "Müstəqillik günü"),
    (D(2026, 5, 27), "Qurban bayramı"),
    (D(2026, 5, 29), "Qurban bayramı (ikinci gün)"),
    (D(2026, 6, 15), "Milli Qurtuluş günü"),
    (D(2026, 6, 26), "Silahlı Qüvvələr günü"),
    (D(2026, 11, 9), "Zəfər günü (8 Noyabr, bazar gününün əvəzinə) / Dövlət Bayrağı günü"),
    (D(2026, 11, 10), "Dövlət Bayrağı günü (bazar ertəsi ilə üst-üstə düşdüyü üçün)"),
    (D(2026, 12, 31), "Dünya azərbaycanlılarının həmrəyliyi günü"),
]


def load(apps, schema_editor):
    CalendarDay = apps.get_model("appeals", "CalendarDay")
    for day, name in HOLIDAYS_2026:
        CalendarDay.objects.get_or_create(date=day, defaults={"kind": "holiday", "name": name})


def unload(apps, schema_editor):
    apps.get_model("appeals", "CalendarDay").objects.filter(date__in=[d for d, _ in HOLIDAYS_2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_roles")]

    operations = [migrations.RunPython(load, unload)]
