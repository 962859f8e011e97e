from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("村(社区)履职事项全程纪实平台 · 管理后台")
admin.site.site_title = _("履职纪实平台")
admin.site.index_title = _("系统管理")
