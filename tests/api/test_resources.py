"""Resolutions, paragraphs, actors and schedules: read-only through the API."""

import pytest

pytestmark = pytest.mark.django_db


def test_resolution(api, read_token, res2692):
    response = api.get(f"/api/v1/resolutions/{res2692.pk}/", token=read_token)

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("symbol", "number", "adopted_on", "mandate_expires_on")} == {
        "symbol": "S/RES/2692 (2023)",
        "number": 2692,
        "adopted_on": "2023-07-14",
        "mandate_expires_on": "2024-07-15",
    }
    assert body["renews"] == "S/RES/2645 (2022)"
    assert body["paragraphs"] == f"http://testserver/api/v1/resolutions/{res2692.pk}/paragraphs/"


def test_resolutions_filter_and_search(api, read_token, res2692):
    def symbols(**params):
        response = api.get("/api/v1/resolutions/", token=read_token, **params)
        assert response.status_code == 200, response.content
        return [row["symbol"] for row in response.json()["results"]]

    assert symbols(year="2023", mandate="BINUH") == ["S/RES/2692 (2023)"]
    assert symbols(mandate="BINUH", ordering="number") == [
        "S/RES/2476 (2019)",
        "S/RES/2645 (2022)",
        "S/RES/2692 (2023)",
        "S/RES/2743 (2024)",
    ]
    assert symbols(search="2645") == ["S/RES/2645 (2022)"]
    assert symbols(ordering="-number", page_size="2") == ["S/RES/2743 (2024)", "S/RES/2700 (2023)"]
    renewal = api.get(f"/api/v1/resolutions/{res2692.pk}/", token=read_token).json()
    assert (renewal["mandate"], renewal["renews"], renewal["renewed_by"]) == (
        "BINUH",
        "S/RES/2645 (2022)",
        ["S/RES/2743 (2024)"],
    )


def test_paragraphs_nested_under_their_resolution_by_number_or_label(api, read_token, res2692):
    base = f"/api/v1/resolutions/{res2692.pk}/paragraphs/"

    operative = api.get(f"{base}18/", token=read_token)
    preambular = api.get(f"{base}PP1/", token=read_token)
    listed = api.get(base, token=read_token, kind="operative", page_size="200")
    found = api.get(base, token=read_token, search="30 天内")

    assert operative.status_code == 200
    ((language, lead_verb, text),) = [tuple(t.values()) for t in operative.json()["texts"]]
    assert (operative.json()["number"], language, lead_verb) == (18, "zh", "请")
    assert text.startswith("请秘书长与海地协商")
    # v1's fields, from the texts
    assert (operative.json()["lead_verb"], operative.json()["text_zh"]) == ("请", text)
    assert operative.json()["url"] == f"http://testserver{base}18/"
    assert len(operative.json()["obligations"]) == 1
    assert (preambular.json()["kind"], preambular.json()["label"]) == ("preambular", "PP1")
    assert [row["number"] for row in listed.json()["results"]] == list(range(1, 20))
    assert [row["label"] for row in found.json()["results"]] == ["18"]


@pytest.mark.parametrize(
    "path",
    ["paragraphs/99/", "paragraphs/PP99/", "paragraphs/pp1/", "paragraphs/0018x/"],
)
def test_unknown_paragraph_is_404(api, read_token, res2692, path):
    response = api.get(f"/api/v1/resolutions/{res2692.pk}/{path}", token=read_token)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_paragraphs_of_an_unknown_resolution_are_404(api, read_token, db):
    assert api.get("/api/v1/resolutions/4242/paragraphs/", token=read_token).status_code == 404


def test_actors_by_code(api, read_token, res2692):
    actor = api.get("/api/v1/actors/unodc/", token=read_token)
    found = api.get("/api/v1/actors/", token=read_token, search="毒品")

    assert actor.json()["name_zh"] == "毒品和犯罪问题办公室"
    assert [row["code"] for row in found.json()["results"]] == ["unodc"]
    assert api.get("/api/v1/actors/nobody/", token=read_token).status_code == 404


def test_schedules_and_their_history(api, read_token, options_report):
    schedule = options_report.schedule

    listed = api.get("/api/v1/schedules/", token=read_token, obligation=schedule.obligation_id)
    history = api.get(f"/api/v1/schedules/{schedule.pk}/history/", token=read_token)

    (row,) = listed.json()["results"]
    assert (row["kind"], row["within_days"], row["obligation"]) == (
        "within_days",
        30,
        schedule.obligation_id,
    )
    assert history.status_code == 200
    assert [entry["action"] for entry in history.json()] == ["created"]


def test_read_only_objects_have_a_content_etag_and_answer_304(api, read_token, res2692):
    path = f"/api/v1/resolutions/{res2692.pk}/paragraphs/18/"
    etag = api.get(path, token=read_token)["ETag"]

    again = api.get(path, token=read_token, headers={"If-None-Match": etag})
    res2692.paragraphs.filter(number=18).update(summary_en="Changed")
    changed = api.get(path, token=read_token, headers={"If-None-Match": etag})

    assert (again.status_code, again.content) == (304, b"")
    assert changed.status_code == 200
    assert changed["ETag"] != etag
