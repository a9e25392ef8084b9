"""Verifies captured webhook deliveries with the Standard Webhooks reference
library from PyPI (`pip install standardwebhooks`), independent of Ponte.

stdin:  a JSON array of {"secret": "whsec_…", "headers": {…}, "body": "…"}
stdout: a JSON array, one {"ok": true} or {"ok": false, "error": "…"} each
exit 3 when the library is not installed.
"""

import json
import sys

try:
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError
except ImportError as e:
    print(f"standardwebhooks is not installed: {e}", file=sys.stderr)
    sys.exit(3)

results = []
for case in json.load(sys.stdin):
    try:
        Webhook(case["secret"]).verify(case["body"], case["headers"])
        results.append({"ok": True})
    except WebhookVerificationError as e:
        results.append({"ok": False, "error": str(e)})
json.dump(results, sys.stdout)
