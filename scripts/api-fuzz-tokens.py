"""Prints, as shell exports, one credential per security scheme of Ponte's
OpenAPI document, obtained from a running `ponte serve` in sandbox mode
(scripts/api-fuzz.sh reads them into schemathesis.toml).

    python3 scripts/api-fuzz-tokens.py <base url> <sandbox-client.json>
"""

import base64
import json
import shlex
import sys
import time
import urllib.request

BASE, CLIENT = sys.argv[1].rstrip("/"), json.load(open(sys.argv[2]))
KEY, SECRET = CLIENT["apiKey"], CLIENT["apiSecret"]


def call(path, body, headers=None):
    request = urllib.request.Request(
        BASE + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


access = call("/data/v1/auth", {"accessKey": KEY, "secretKey": SECRET})["accessToken"]
bearer = {"authorization": f"Bearer {access}"}
link = call("/data/v1/links", {"personalTaxId": "529.982.247-25"}, bearer)
documents = call("/api/token", {"api_key": KEY, "api_secret": SECRET})
server_key = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
user = {
    "userIPAddress": "203.0.113.7",
    "userAgent": "api-fuzz",
    "userPlatform": "web",
    "userDeviceID": "d-fuzz",
    "xcUserID": "api-fuzz-user",
    "fullName": "Ana Souza",
}
ticket = call("/v1/server/auth_ticket/request", user, {"server-key": server_key})["data"]["ticket"]
session = call(
    "/v1/client/auth/access_token/request", {}, {"authorization": f"Bearer {ticket}"}
)["data"]
# The second ticket is what the fuzzer spends on the ticket exchange itself (single use).
spare = call("/v1/server/auth_ticket/request", user, {"server-key": server_key})["data"]["ticket"]

# Real ids, so the operations that read one get past "not found" to their answers' schemas:
# an authorised consent, a data request and its report, a webhook message, and a second
# documents user for the fuzzer to erase.
def get(path, headers):
    request = urllib.request.Request(BASE + path, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


widget = {"authorization": f"Bearer {link['linkToken']}"}
consent = call("/data/v1/consents", {"institutionCode": "itau"}, widget)
call(
    f"/sandbox/v1/consents/{consent['consentId']}/authorise",
    {"username": "user_good", "password": "pass_good"},
    widget,
)
request_id = call(
    "/data/personal/institution-data",
    {
        "taxId": "52998224725",
        "linkId": link["linkId"],
        "consentId": [consent["consentId"]],
        "products": ["accounts"],
    },
    bearer,
)["requestId"]
deadline = time.monotonic() + 60
while True:
    reports = get(f"/data/v1/requests/{request_id}", bearer)["reports"]
    if reports and all(r["status"] != "PROCESSING" for r in reports):
        break
    if time.monotonic() > deadline:
        sys.exit(f"api-fuzz: request {request_id} made no report within 60 s")
    time.sleep(0.2)
messages = get("/data/v1/webhooks/messages?limit=1", bearer)["data"]
erasable = call("/api/token", {"api_key": KEY, "api_secret": SECRET})["taiki_user_id"]

for name, value in {
    "FUZZ_LINK_ID": link["linkId"],
    "FUZZ_CONSENT_ID": consent["consentId"],
    "FUZZ_REQUEST_ID": request_id,
    "FUZZ_REPORT_ID": reports[0]["reportId"],
    "FUZZ_MESSAGE_ID": messages[0]["id"] if messages else "none",
    "FUZZ_TAIKI_USER_ID": erasable,
}.items():
    print(f"export {name}={shlex.quote(value)}")

for name, value in {
    "FUZZ_API_KEY": KEY,
    "FUZZ_API_SECRET": SECRET,
    "FUZZ_ACCESS_TOKEN": access,
    "FUZZ_LINK_TOKEN": link["linkToken"],
    "FUZZ_DOCUMENTS_TOKEN": documents["access_token"],
    "FUZZ_SERVER_KEY": server_key,
    "FUZZ_AUTH_TICKET": spare,
    "FUZZ_USER_ACCESS_TOKEN": session["accessToken"],
    "FUZZ_REFRESH_TOKEN": session["refreshToken"],
}.items():
    print(f"export {name}={shlex.quote(value)}")
