"""The API's JSON renderer writes the bytes DRF's own renderer writes, faster."""

import datetime as dt
import decimal

import orjson
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer

SAMPLE = {
    "id": 7,
    "summary": "Rapport du Secrétaire général · 秘书长报告 <b>&</b>",
    "separators": "line\u2028paragraph\u2029end",
    "updated_at": dt.datetime(2023, 9, 1, 14, 0, tzinfo=dt.UTC),
    "delivered_at": dt.datetime(2023, 8, 15, 9, 30, 5, 123456, tzinfo=dt.UTC),
    "local": dt.datetime(2023, 8, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
    "next_deadline": dt.date(2023, 10, 15),
    "none": None,
    "flags": [True, False],
    "ratio": 0.25,
    "amount": decimal.Decimal("1.50"),
    "message": NotFound.default_detail,  # a lazy translation
    "nested": {"codes": ("binuh", "unodc"), "empty": []},
}


def test_fast_renderer_writes_what_drf_writes():
    assert FastJSONRenderer().render(SAMPLE) == JSONRenderer().render(SAMPLE)


def test_fast_renderer_renders_nothing_for_no_data_and_indents_on_request():
    assert FastJSONRenderer().render(None) == b""
    pretty = FastJSONRenderer().render({"a": [1]}, renderer_context={"indent": 4})
    assert pretty == b'{\n  "a": [\n    1\n  ]\n}'


def test_fast_renderer_includes_rendered_parts_and_indents_them_too():
    data = {"a": [orjson.Fragment('{"b":"\u2028"}')]}

    assert FastJSONRenderer().render(data) == b'{"a":[{"b":"\\u2028"}]}'
    pretty = FastJSONRenderer().render(data, renderer_context={"indent": 2})
    assert pretty == b'{\n  "a": [\n    {\n      "b": "\\u2028"\n    }\n  ]\n}'
