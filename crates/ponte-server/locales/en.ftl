# The one catalogue of Ponte's server-rendered pages, English. Every message
# here has its twin in pt-BR.ftl; a test checks that both files name the
# same messages.

## Shared by every page
lang-switch = Português
footer-secured = Secured by Ponte · Open Finance Brasil
privacy = { $client }'s privacy policy

## /me: the end user's connected banks
me-title = Your connected banks
me-lead = These are the banks you allowed to share your data with { $client }. You can revoke any of them at any time.
me-empty = You have not connected any bank yet.
me-shares = Shares { $products } until { $date }
me-shared = Shared { $products }
me-revoke = Revoke
me-revoke-label = Revoke the connection with { $bank }
me-confirm-title = Revoke this connection?
me-confirm-lead = The bank will stop sharing your data with { $client } and the data already received will be erased. This cannot be undone.
me-confirm-button = Yes, revoke
me-cancel = Cancel
me-revoked = Connection revoked.
me-added = Bank connected.
me-renewed = Connection renewed.
me-renew = Renew
me-renew-label = Renew the connection with { $bank }
me-expiring-today = Ends today
me-expiring-tomorrow = Ends tomorrow
me-expiring-days = Ends in { $days } days
me-reconnect = Connect again
me-reconnect-label = Connect { $bank } again
me-session-ended = Your session has ended or this address was already used. Go back to the app and open this page again.
me-not-found = Connection not found.
me-refused = The request could not be completed. Please try again.
me-add-title = Connect another bank
me-add-lead = The bank asks for the account holder's CPF. It goes only to the bank you choose.
me-add-lead-known = The bank will receive the CPF { $cpf }, the same as your first connection.
me-cpf-label = Your CPF
me-add-button = Add a bank
me-bad-cpf = This CPF is not valid. Check its 11 digits and try again.

me-status-AUTHORISED = Active
me-status-AWAITING_AUTHORISATION = Awaiting authorisation
me-status-REJECTED = Rejected
me-status-REVOKED = Revoked
me-status-EXPIRED = Expired
me-status-other = Unknown

product-registration = registration data
product-accounts = accounts and balances
product-creditCards = credit cards
product-loans = loans
product-investments = investments
product-insights = insights
product-other = other data

## The documents app's pages in words
docs-invalid-title = This link is not valid
docs-invalid-text = We could not open the document sharing with this link. Go back to the app that sent you and start again.
docs-expired-title = This link has expired
docs-expired-text = For your security the link lasts one hour. Go back to the app that sent you and open it again.
docs-busy-title = Too many attempts
docs-busy-text = Wait a minute, then reload this page.
docs-ours-title = Something went wrong on our side
docs-ours-text = Please try again in a moment.
docs-back = Back to { $client }
docs-returned-ok-title = Documents on their way
docs-returned-ok-text = Your documents are being retrieved.
docs-returned-declined-title = Not connected
docs-returned-declined-text = The documents were not shared.
docs-returned-invalid-title = This sign-in cannot be used
docs-returned-invalid-text = It has expired or was already used. Start again from the app.

## The bank's answer (`/callback`): a page only when no redirectUrl follows
callback-finishing-title = Finishing the connection…
callback-finishing-wait = One moment, please.
callback-finishing-none = Your bank's answer did not arrive. Start again from the app that sent you.
callback-finishing-noscript = Turn JavaScript on to finish the connection.
callback-connected-title = Your account is connected
callback-not-completed-title = The connection was not completed
callback-nothing-more = Nothing more to do here.
callback-close = You can close this window.
callback-failed-title = We could not connect your account
callback-unknown = This authorisation is unknown or was already completed.
callback-unreadable = We could not read your bank's answer. Start again from the app that sent you.
callback-ours = Something went wrong on our side. Please try again shortly.
callback-bank = Your bank did not complete the connection. Start again from the app that sent you.
api-reference = API reference
docs-returning-back = Back to the app
