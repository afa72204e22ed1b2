from __future__ import annotations

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


home = signup = account_settings = dog_create = dog_detail = dog_edit = dog_delete = _todo
