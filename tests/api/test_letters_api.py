"""The JSON API as the e-government portal calls it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from api.openapi import document
from appeals import services
from appeals.models import ApiClient, LookupChannel, LookupLog, LookupOutcome
from appeals.numbers import format_registration_number
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_token():
    client = ApiClient(name="e-gov.az", rate_limit_per_minute=1000)
    token = client.issue_token()
    client.save()
    return client, token


@pytest.fixture
def letter():
    letter = LetterFactory(executor=ExecutorFactory(), applicant_name="Əliyeva Leyla")
    return services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Sənədlər yoxlanılır")


def call(client, token, path, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(f"/api/v1/letters/{path}", **headers)


def schema_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({**document(), "$ref": f"#/components/schemas/{name}"})


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate_spec(response.json())


def test_a_letter_as_json_matches_the_schema_and_the_page(client, client_token, letter):
    _client, token = client_token
    response = call(client, token, letter.registration_number, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    schema_validator("Letter").validate(body)
    assert body["registration_number"] == letter.registration_number
    assert body["status"] == {
        "code": "in_progress",
        "label": "In progress",
        "explanation": "The executor is examining your appeal. You may call the executor for details.",
        "next_steps": "The executor is preparing the answer, due by the due date. "
        "If you have new documents, call the executor.",
    }
    assert body["ending"] is None  # still open
    assert body["executor"]["name"] == letter.executor.full_name
    assert [event["status"]["code"] for event in body["timeline"]] == ["registered", "assigned", "in_progress"]
    assert body["timeline"][-1]["note"] == "Sənədlər yoxlanılır"
    text = response.content.decode()
    for private in ("Əliyeva Leyla", letter.applicant_email, letter.applicant_phone, letter.subject):
        assert private not in text


@pytest.mark.parametrize(
    ("query", "accept", "language", "label"),
    [
        ("", "", "az", "İcradadır"),
        ("?lang=ru", "en", "ru", "На исполнении"),
        ("", "ru-RU,ru;q=0.9,en;q=0.5", "ru", "На исполнении"),
        ("", "en-GB", "en", "In progress"),
        ("?lang=xx", "fr, de", "az", "İcradadır"),
    ],
)
def test_language_negotiation(client, client_token, letter, query, accept, language, label):
    _client, token = client_token
    response = call(client, token, letter.registration_number + query, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.json()["status"]["label"] == label
    assert response.json()["language"] == language
    assert response["Content-Language"] == language


@pytest.mark.parametrize(
    ("path", "code", "status"),
    [
        ("", "empty", 400),
        ("%20", "empty", 400),
        ("hello", "malformed", 400),
        ("2026-000001-4", "checksum", 400),
        (format_registration_number(2026, 999), "not_found", 404),
        ("x" * 5000, "malformed", 400),
        ("2026%00-000001-5", "malformed", 400),
        ("2026/000001/5", "not_found", 404),
    ],
)
def test_every_error_has_its_code_and_status(client, client_token, path, code, status):
    _client, token = client_token
    response = call(client, token, path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == status
    schema_validator("Error").validate(response.json())
    assert response.json()["error"]["code"] == code
    assert response.json()["language"] == "ru"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_a_missing_or_bad_token_is_unauthorized(client, letter, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get(f"/api/v1/letters/{letter.registration_number}", **headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert LookupLog.objects.get().outcome == LookupOutcome.UNAUTHORIZED


def test_revoking_a_client_works_at_once(client, client_token, letter):
    api_client, token = client_token
    assert call(client, token, letter.registration_number).status_code == 200
    ApiClient.objects.filter(pk=api_client.pk).update(is_active=False)
    assert call(client, token, letter.registration_number).status_code == 401


def test_rate_limit_per_client(client, client_token, letter):
    api_client, token = client_token
    ApiClient.objects.filter(pk=api_client.pk).update(rate_limit_per_minute=3)
    codes = [call(client, token, letter.registration_number).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = call(client, token, letter.registration_number)
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    outcomes = list(LookupLog.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["found"] * 3 + ["rate_limited"]  # the second refusal in the window is counted, not logged


def test_every_call_is_logged_with_channel_and_client(client, client_token, letter):
    api_client, token = client_token
    call(client, token, letter.registration_number, HTTP_ACCEPT_LANGUAGE="en")
    call(client, token, "nonsense")
    found, malformed = LookupLog.objects.order_by("pk")
    assert (found.channel, found.api_client, found.outcome, found.number, found.language) == (
        LookupChannel.API,
        api_client,
        LookupOutcome.FOUND,
        letter.registration_number,
        "en",
    )
    assert (malformed.outcome, malformed.api_client) == (LookupOutcome.MALFORMED, api_client)


def test_only_get_is_allowed(client, client_token, letter):
    _client, token = client_token
    response = client.post(f"/api/v1/letters/{letter.registration_number}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    schema_validator("Error").validate(response.json())


def test_unknown_api_paths_answer_json(client):
    response = client.get("/api/v2/whatever")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_lookup_costs_a_fixed_number_of_queries(client, client_token, letter, django_assert_num_queries):
    _client, token = client_token
    for _ in range(3):
        services.change_status(letter=letter, to_status=Status.AWAITING_APPLICANT)
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    call(client, token, "2026-000009-9")  # a session's first lookup prepares the statement (PostgreSQL)
    # client by token hash, then one statement: the public read model and the log row
    on_time = mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 20))
    with on_time, django_assert_num_queries(2):
        assert call(client, token, letter.registration_number).status_code == 200
    # past its due date (2 April): one more, the calendar, to say by how many working days
    with django_assert_num_queries(3):
        answer = call(client, token, letter.registration_number).json()
    assert answer["overdue"] is True and answer["working_days_overdue"] > 100


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.text(max_size=80),
    lang=st.text(max_size=10),
    accept=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
    use_token=st.booleans(),
)
def test_fuzzing_the_api_finds_no_server_error(client, client_token, letter, path, lang, accept, use_token):
    from urllib.parse import quote

    _client, token = client_token
    response = client.get(
        "/api/v1/letters/" + quote(path, safe=""),
        {"lang": lang},
        HTTP_ACCEPT_LANGUAGE=accept,
        **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if use_token else {}),
    )
    assert response.status_code < 500
    body = response.json()
    if response.status_code == 200:
        schema_validator("Letter").validate(body)
    else:
        schema_validator("Error").validate(body)


def test_create_api_client_command_prints_a_working_token(client, letter, capsys):
    from django.core.management import call_command

    call_command("create_api_client", "portal-test", "--rate-limit", "5")
    token = capsys.readouterr().out.strip()
    assert call(client, token, letter.registration_number).status_code == 200
    assert ApiClient.objects.get(name="portal-test").token_hash != token


def test_admin_shows_a_new_token_once(admin_client, client):
    response = admin_client.post(
        "/admin/appeals/apiclient/add/",
        {"name": "e-gov", "is_active": "on", "rate_limit_per_minute": "60"},
        follow=True,
    )
    html = response.content.decode()
    api_client = ApiClient.objects.get(name="e-gov")
    start = html.index(api_client.token_prefix)
    token = html[start : start + 43]
    assert api_client.token_hash == __import__("appeals.models", fromlist=["hash_token"]).hash_token(token)
    page = admin_client.get(f"/admin/appeals/apiclient/{api_client.pk}/change/").content.decode()
    assert token not in page
