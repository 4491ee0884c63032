"""Django's JSON serializer, keeping the microseconds of times (``SERIALIZATION_MODULES``: ``fulljson``).

Django's encoder cuts times to milliseconds. The audit rows and the
meetings' events are hashed with their times to the microsecond, so a
backup made with the stock encoder would restore chains that no longer
verify. Used by ``ecabinet.backup``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer as JsonDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JsonSerializer


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JsonSerializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # a private hook of the json serializer
        self.json_kwargs["cls"] = FullPrecisionEncoder


Deserializer = JsonDeserializer
