"""graphite-web 1.1.8's /functions answer, without the failing part.

Debian bookworm's graphite-web answers /functions with {"error": "module 'inspect' has no attribute 'getargspec'"}:
functionInfo() builds the `function` signature string with inspect.getargspec, which Python 3.11 removed. Everything
else of the answer (name, group, params, description) is plain data on the function objects, which this script prints
as /functions would, with the same JSON encoder, leaving out only `function` and `module`.

Run with /usr/bin/python3 and the suite's settings (GRAPHITE_SETTINGS_MODULE, DJANGO_SETTINGS_MODULE, PYTHONPATH).
"""
import inspect
import json

import django

django.setup()

from graphite.functions import SeriesFunctions  # noqa: E402
from graphite.functions.views import jsonInfinityEncoder  # noqa: E402

result = {}
for name, func in SeriesFunctions().items():
    result[name] = {
        'name': name,
        'description': inspect.getdoc(func),
        'group': getattr(func, 'group', 'Ungrouped'),
        'params': getattr(func, 'params', None),
    }
print(jsonInfinityEncoder().encode(result))
