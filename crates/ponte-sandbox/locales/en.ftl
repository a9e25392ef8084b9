# The one catalogue of the sandbox institutions' pages (the banks' sign-in
# and consent, the document portals' sign-in and sharing), English. Every
# message here has its twin, with the same placeholders, in pt-BR.ftl; a
# test checks both files name the same messages.

## Shared by every page (the switch names the other language, in it)
lang-switch = Português
code-label = Code
otp-sandbox = Sandbox:
test-users = Test users:
test-password = password

## The banks' pages
bank-environment = Test environment · Sandbox
bank-footer = Open Finance Brasil · a synthetic institution for testing
bank-cancel = Cancel and go back
bank-login-title = Sign in
bank-login-user = User
bank-login-password = Password
bank-login-submit = Sign in
bank-login-users = user_good, user_mfa (code 123456), user_deny, user_locked, user_flaky, user_big, user_huge, user_expiring, user_throttled
bank-otp-title = One-time code
bank-otp-lead = Enter the 6-digit code sent to your phone.
bank-otp-submit = Confirm
bank-approve-title = Authorise data sharing
bank-approve-recipient = { $recipient } is asking for access to the following data:
bank-approve-participant = An Open Finance participant asks to access the following data:
bank-approve-until = Valid until { $date }
bank-approve-no-expiry = No expiry date
bank-approve = Approve
bank-reject = Reject
bank-always-rejects = This test user always rejects.
bank-error-title = Cannot continue
bank-error-lead = Go back to the app and try again.
bank-error-page = Error
bank-error-locked = Account locked. Contact your branch.
bank-error-credentials = Wrong username or password.
bank-error-otp = Wrong code, { $left ->
    [one] 1 attempt left.
   *[other] { $left } attempts left.
    }
bank-error-internal = Internal error
bank-error-outage = Institution temporarily unavailable
bank-error-not-awaiting = The consent is no longer awaiting authorisation.

## The consent's permissions, as the approval page lists them
permission-unknown = Unknown permission
permission-ACCOUNTS_READ = Your accounts
permission-ACCOUNTS_BALANCES_READ = Account balances
permission-ACCOUNTS_TRANSACTIONS_READ = Account statements
permission-ACCOUNTS_OVERDRAFT_LIMITS_READ = Overdraft limits
permission-CREDIT_CARDS_ACCOUNTS_READ = Your credit cards
permission-CREDIT_CARDS_ACCOUNTS_BILLS_READ = Credit card bills
permission-CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ = Bill transactions
permission-CREDIT_CARDS_ACCOUNTS_LIMITS_READ = Credit card limits
permission-CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ = Credit card transactions
permission-CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ = Personal identification
permission-CUSTOMERS_PERSONAL_ADITTIONALINFO_READ = Personal additional information
permission-CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ = Business identification
permission-CUSTOMERS_BUSINESS_ADITTIONALINFO_READ = Business additional information
permission-FINANCINGS_READ = Financings
permission-FINANCINGS_SCHEDULED_INSTALMENTS_READ = Financing instalments
permission-FINANCINGS_PAYMENTS_READ = Financing payments
permission-FINANCINGS_WARRANTIES_READ = Financing warranties
permission-INVOICE_FINANCINGS_READ = Invoice financings
permission-INVOICE_FINANCINGS_SCHEDULED_INSTALMENTS_READ = Invoice financing instalments
permission-INVOICE_FINANCINGS_PAYMENTS_READ = Invoice financing payments
permission-INVOICE_FINANCINGS_WARRANTIES_READ = Invoice financing warranties
permission-LOANS_READ = Loans
permission-LOANS_SCHEDULED_INSTALMENTS_READ = Loan instalments
permission-LOANS_PAYMENTS_READ = Loan payments
permission-LOANS_WARRANTIES_READ = Loan warranties
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_READ = Unarranged overdraft
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_SCHEDULED_INSTALMENTS_READ = Unarranged overdraft instalments
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_PAYMENTS_READ = Unarranged overdraft payments
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_WARRANTIES_READ = Unarranged overdraft warranties
permission-RESOURCES_READ = List of your products
permission-BANK_FIXED_INCOMES_READ = Bank fixed income
permission-CREDIT_FIXED_INCOMES_READ = Credit fixed income
permission-FUNDS_READ = Investment funds
permission-VARIABLE_INCOMES_READ = Variable income
permission-TREASURE_TITLES_READ = Treasury bonds
permission-EXCHANGES_READ = Foreign exchange

## The document portals' pages
portal-subtitle = Online access · sandbox
portal-synthetic = synthetic institution for testing
portal-back = Cancel and go back to the app
portal-login-page = Sign in
portal-login-title = Sign in to { $portal }
portal-login-user = User ID
portal-login-password = Password
portal-login-submit = Sign in
portal-login-users = user_good, user_mfa (code 123456), user_deny, user_locked, user_flaky, user_big, user_huge
portal-otp-title = Verify it’s you
portal-otp-lead = Enter the 6-digit code we sent to your phone.
portal-otp-submit = Verify
portal-approve-title = Share your documents?
portal-approve-lead = An app asked to download copies of your documents:
portal-share = Share documents
portal-decline = Decline
portal-always-declines = This test user always declines.
portal-error-page = Error
portal-error-title = We can’t continue
portal-error-lead = Go back to the app and try again.
portal-error-locked = Your account is locked. Call customer service to unlock it.
portal-error-credentials = The user ID or password is not correct.
portal-error-otp = That code is not correct. Try again.
portal-error-used = This sign-in was already used. Start again from the app.
portal-error-expired = This sign-in has expired or was already used. Start again from the app.

## The documents a portal offers to share
document-bank_statement = Monthly account statements
document-1099_int = Form 1099-INT (interest income)
document-1099_div = Form 1099-DIV (dividends and distributions)
document-1099_b = Form 1099-B (proceeds from broker transactions)
document-year_end_summary = Year-end summaries
