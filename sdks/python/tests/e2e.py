"""Ponte's Python SDK against a real ``ponte serve`` (scripts/sdk-check.sh starts it):
the Data API from auth to a verified REPORT_READY and a downloaded report, the
Documents API to a verified webhook and a downloaded file, and a Server API ticket
exchange, each through the installed SDK as an integrator would write it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from ponte_client.api.data_api_consents import create_consent, get_consent
from ponte_client.api.data_api_data_requests import personal_data
from ponte_client.api.data_api_institutions import institutions
from ponte_client.api.data_api_links import create_link, get_link
from ponte_client.api.data_api_reports import get_report
from ponte_client.api.data_api_sandbox import sandbox_authorise
from ponte_client.api.data_api_webhooks import rotate_webhook_secret
from ponte_client.api.documents_api_retrieval import documents_api_institutions, sandbox_connect
from ponte_client.models import (
    ConsentRequest,
    ConsentStatus,
    InstitutionDataRequest,
    LinkRequest,
    Product,
    SandboxConnect,
    SandboxCredentials,
)
from ponte_sdk import (
    DataApi,
    DataApiError,
    DocumentsApi,
    DocumentsError,
    ServerApi,
    ServerApiError,
    WebhookVerificationError,
    verify_webhook,
)

BASE_URL = os.environ["PONTE_URL"]
API_KEY = os.environ["PONTE_API_KEY"]
API_SECRET = os.environ["PONTE_API_SECRET"]
FIRST_WEBHOOK_SECRET = os.environ["PONTE_WEBHOOK_SECRET"]
WAIT = 60.0

Delivery = tuple[bytes, dict[str, str]]
deliveries: list[Delivery] = []
arrived = threading.Condition()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with arrived:
            deliveries.append((body, {k.lower(): v for k, v in self.headers.items()}))
            arrived.notify_all()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def wait_for(what: str, matches: Callable[[dict[str, Any]], bool]) -> Delivery:
    deadline = time.monotonic() + WAIT
    with arrived:
        while True:
            for body, headers in deliveries:
                try:
                    parsed = json.loads(body)
                except ValueError:
                    continue
                if matches(parsed):
                    return body, headers
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} webhook within {WAIT} s ({len(deliveries)} received)")
            arrived.wait(left)


def step(name: str) -> Callable[[Callable[[], None]], None]:
    def run(body: Callable[[], None]) -> None:
        started = time.monotonic()
        body()
        print(f"  ok  {name} ({(time.monotonic() - started) * 1000:.0f} ms)", flush=True)

    return run


def raises(kind: type[Exception], call: Callable[[], Any]) -> Any:
    try:
        call()
    except kind as error:
        return error
    raise AssertionError(f"expected {kind.__name__}, the call succeeded")


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["RECEIVER_PORT"])), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()

sent: list[str] = []
spoil_next_link_read = False


def record(request: httpx.Request) -> None:
    global spoil_next_link_read
    if spoil_next_link_read and request.method == "GET" and request.url.path.startswith("/data/v1/links/"):
        # As if the cached token had been revoked at the server: the SDK must recover.
        spoil_next_link_read = False
        request.headers["Authorization"] = "Bearer not-a-token"


def recorded(response: httpx.Response) -> None:
    sent.append(f"{response.request.method} {response.request.url.path} {response.status_code}")


clock = [time.time()]
hooks = {"request": [record], "response": [recorded]}
data = DataApi(BASE_URL, API_KEY, API_SECRET, now=lambda: clock[0], httpx_args={"event_hooks": hooks})
state: dict[str, Any] = {"secrets": [FIRST_WEBHOOK_SECRET]}


@step("Data API: typed errors carry the dialect's code and field")
def _() -> None:
    error = raises(DataApiError, lambda: data.call(create_link, body=LinkRequest(personal_tax_id="123.456.789-00")))
    assert (error.status, error.code, error.field) == (400, "INVALID_FIELD", "personalTaxId"), error
    denied = raises(DataApiError, lambda: DataApi(BASE_URL, API_KEY, "sk_wrong").token())
    assert denied.code == "INVALID_CREDENTIALS", denied


@step("Data API: link, consent and the sandbox bank's login through the SDK")
def _() -> None:
    link = data.call(
        create_link,
        body=LinkRequest.from_dict(
            {
                "personalTaxId": "529.982.247-25",
                "redirectUrl": "https://example.com/done",
                "externalInfo": {"order": "sdk-py"},
            }
        ),
    )
    widget = data.with_link_token(link.link_token)
    listed = data.call(institutions, client=widget)
    assert any(i.institution_code == "itau" for i in listed), listed
    consent = data.call(
        create_consent,
        client=widget,
        body=ConsentRequest(institution_code="itau", external_track_id="sdk-py-order-42"),
    )
    authorised = data.call(
        sandbox_authorise,
        client=widget,
        consent_id=consent.consent_id,
        body=SandboxCredentials(username="user_good", password="pass_good"),
    )
    assert authorised.status == ConsentStatus.AUTHORISED, authorised.status
    state.update(link_id=link.link_id, consent_id=consent.consent_id)


@step("Data API: a refused token is replaced and the call sent once more")
def _() -> None:
    global spoil_next_link_read
    link_id = state["link_id"]
    sent.clear()
    spoil_next_link_read = True
    assert data.call(get_link, link_id=link_id).link_id == link_id
    assert sent == [
        f"GET /data/v1/links/{link_id} 401",
        "POST /data/v1/auth 200",
        f"GET /data/v1/links/{link_id} 200",
    ], sent


@step("Data API: the token is refreshed before it expires")
def _() -> None:
    before = data.token()
    sent.clear()
    clock[0] += 29.5 * 60  # 30 s before the 30-minute token expires: inside the refresh margin
    consent = data.call(get_consent, consent_id=state["consent_id"])
    assert consent.status == ConsentStatus.AUTHORISED
    assert sent == ["POST /data/v1/auth/refresh 200", f"GET /data/v1/consents/{state['consent_id']} 200"], sent
    assert data.token() != before
    clock[0] = time.time()


@step("Data API: the same calls from asyncio, the token obtained there too")
def _() -> None:
    async def read() -> Any:
        fresh = DataApi(BASE_URL, API_KEY, API_SECRET)
        link = await fresh.acall(get_link, link_id=state["link_id"])
        consent = await fresh.acall(get_consent, consent_id=state["consent_id"])
        await fresh.client.get_async_httpx_client().aclose()
        return link, consent

    link, consent = asyncio.run(read())
    assert link.link_id == state["link_id"] and consent.status == ConsentStatus.AUTHORISED


@step("Data API: webhook secret rotated; both secrets sign for the grace period")
def _() -> None:
    rotated = data.call(rotate_webhook_secret)
    assert rotated.webhook_secret.startswith("whsec_")
    state["secrets"] = [rotated.webhook_secret, FIRST_WEBHOOK_SECRET]


@step("Data API: institution data requested, REPORT_READY received and verified")
def _() -> None:
    accepted = data.call(
        personal_data,
        body=InstitutionDataRequest(
            tax_id="52998224725",
            link_id=state["link_id"],
            consent_id=[state["consent_id"]],
            products=[Product.ACCOUNTS],
        ),
    )
    delivery = wait_for(
        "REPORT_READY", lambda b: b.get("event") == "REPORT_READY" and b.get("requestId") == accepted.request_id
    )
    report = verify_webhook(delivery[0], delivery[1], state["secrets"])
    assert report["status"] == "SUCCESS" and report["product"] == "accounts", report
    state.update(report=report, report_delivery=delivery)


@step("Webhooks: two signatures during a rotation, either secret verifies, nothing else does")
def _() -> None:
    body, headers = state["report_delivery"]
    new, old = state["secrets"]
    assert len(headers["webhook-signature"].split(" ")) == 2, headers["webhook-signature"]
    verify_webhook(body, headers, new)
    verify_webhook(body, headers, old)
    raises(WebhookVerificationError, lambda: verify_webhook(body, headers, "whsec_" + "B" * 32))
    raises(
        WebhookVerificationError, lambda: verify_webhook(body.replace(b'"SUCCESS"', b'"FAILED"'), headers, [new, old])
    )


@step("Data API: the report read and downloaded (JSON and PDF)")
def _() -> None:
    ready = state["report"]
    full = data.call(get_report, report_id=ready["reportId"])
    assert full.consent_id == state["consent_id"]
    downloaded = json.loads(data.download(ready["downloadUrl"]))
    assert downloaded["reportId"] == ready["reportId"] and downloaded["data"]["accounts"], downloaded.keys()
    assert data.download(ready["pdfUrl"]).startswith(b"%PDF-")
    altered = re.sub(r"signature=[^&]+", "signature=AAAA", ready["downloadUrl"])
    assert raises(DataApiError, lambda: data.download(altered)).code == "INVALID_SIGNATURE"


@step("Data API: webhook deliveries listed page by page")
def _() -> None:
    messages = list(data.webhook_messages(limit=1))
    events = {m.event_type for m in messages}
    assert {"REPORT_READY", "CONSENT_STATUS_CHANGED"} <= events, events
    assert len({m.id for m in messages}) == len(messages), "no message twice"


documents = DocumentsApi(BASE_URL, API_KEY, API_SECRET)


@step("Documents API: typed errors")
def _() -> None:
    error = raises(DocumentsError, lambda: DocumentsApi(BASE_URL, API_KEY, "sk_wrong").session().access_token())
    assert (error.code, error.field) == ("invalid_credentials", "api_secret"), error


@step("Documents API: a portal connected, documents.ready verified, a file downloaded")
def _() -> None:
    session = documents.session(metadata={"case": "sdk-py"})
    assert "/app?access_token=" in session.app_url()
    assert session.taiki_user_id
    portals = session.call(documents_api_institutions)
    assert any(p.institution_code == "harborline" for p in portals), portals
    started = session.call(
        sandbox_connect,
        body=SandboxConnect(institution_code="harborline", username="user_good", password="pass_good"),
    )
    body, headers = wait_for("documents.ready", lambda b: (b.get("data") or {}).get("id") == started.id)
    ready = verify_webhook(body, headers, state["secrets"])
    assert ready["status"] == "success", ready
    assert ready["data"]["client_id"] == session.taiki_user_id
    assert ready["data"]["metadata"] == {"case": "sdk-py"}
    file = next(f for f in ready["files"] if f.get("download_url"))
    pdf = documents.download(file["download_url"])
    assert pdf.startswith(b"%PDF-") and len(pdf) == file["total_size_bytes"]
    again = documents.retrieval(started.id)
    assert again.status == "success" and len(again.files) == len(ready["files"])


backend = ServerApi(BASE_URL, API_KEY, API_SECRET)
user = {
    "userIPAddress": "203.0.113.7",
    "userAgent": "ponte-sdk-e2e",
    "userPlatform": "web",
    "userDeviceID": "d-py",
    "xcUserID": "sdk-py-user",
    "fullName": "Ana Souza",
}


@step("Server API: typed errors carry the parameter's number")
def _() -> None:
    error = raises(ServerApiError, lambda: backend.request_ticket(**{**user, "xcUserID": ""}))
    assert (error.code, error.field) == ("40002", "105"), error


@step("Server API: a ticket exchanged for the end user's session, refreshed, single use")
def _() -> None:
    issued = backend.request_ticket(**user)
    assert issued.ticket.startswith("tkt_")
    user_clock = [time.time()]
    session = backend.user_session(issued.ticket, now=lambda: user_clock[0])
    started = session.start()
    assert started["user"]["fullName"] == "Ana Souza"
    assert isinstance(session.connections(), list)
    user_clock[0] += 15 * 60  # the 15-minute access token is due: renewed with the refresh token
    assert isinstance(session.connections(), list)
    assert session.session is not None and session.session["accessToken"] != started["accessToken"]
    reused = raises(ServerApiError, lambda: backend.user_session(issued.ticket).start())
    assert reused.code == "40102", reused


server.shutdown()
print("Python SDK: every flow passed")
