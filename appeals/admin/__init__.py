"""Staff back office. Every write to a letter goes through the services, so it is recorded;
who may see or do what is asked of ``access``, nowhere else."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import directory, letters, records, third_party, users  # noqa: F401  (each registers its admins)

# The official name (settings.PORTAL_NAME), translated, in the header and the browser's title.
admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = _("Letters and requests")
