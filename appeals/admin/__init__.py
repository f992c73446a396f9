"""Staff back office. Every write to a letter goes through the services, so it is recorded;
who may see or do what is asked of ``access``, nowhere else."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import directory, letters, records, users  # noqa: F401  (each registers its admins)

admin.site.site_header = _("DGK Tracker — back office")
admin.site.site_title = _("DGK Tracker")
admin.site.index_title = _("Letters and requests")
