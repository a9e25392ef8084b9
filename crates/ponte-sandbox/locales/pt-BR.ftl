# The one catalogue of the sandbox institutions' pages (the banks' sign-in
# and consent, the document portals' sign-in and sharing), Brazilian
# Portuguese. Every message here has its twin, with the same placeholders,
# in en.ftl; a test checks both files name the same messages.

## Shared by every page (the switch names the other language, in it)
lang-switch = English
code-label = Código
otp-sandbox = Sandbox:
test-users = Usuários de teste:
test-password = senha

## The banks' pages
bank-environment = Ambiente de testes · Sandbox
bank-footer = Open Finance Brasil · instituição sintética para testes
bank-cancel = Cancelar e voltar
bank-login-title = Entrar
bank-login-user = Usuário
bank-login-password = Senha
bank-login-submit = Entrar
bank-login-users = user_good, user_mfa (código 123456), user_deny, user_locked, user_flaky, user_big, user_huge, user_expiring, user_throttled
bank-otp-title = Código de segurança
bank-otp-lead = Digite o código de 6 dígitos enviado ao seu celular.
bank-otp-submit = Confirmar
bank-approve-title = Autorizar compartilhamento
bank-approve-recipient = { $recipient } pede acesso aos seguintes dados:
bank-approve-participant = Uma instituição participante do Open Finance pede acesso aos seguintes dados:
bank-approve-until = Válido até { $date }
bank-approve-no-expiry = Prazo indeterminado
bank-approve = Autorizar
bank-reject = Rejeitar
bank-always-rejects = Este usuário de teste sempre rejeita o compartilhamento.
bank-error-title = Não foi possível continuar
bank-error-lead = Volte ao aplicativo e tente novamente.
bank-error-page = Erro
bank-error-locked = Conta bloqueada. Procure sua agência.
bank-error-credentials = Usuário ou senha inválidos.
bank-error-otp = Código incorreto, { $left ->
    [one] resta 1 tentativa.
   *[other] restam { $left } tentativas.
    }
bank-error-internal = Erro interno
bank-error-outage = Instituição indisponível no momento
bank-error-not-awaiting = O consentimento não está mais aguardando autorização.

## The consent's permissions, as the approval page lists them
permission-unknown = Permissão desconhecida
permission-ACCOUNTS_READ = Dados das suas contas
permission-ACCOUNTS_BALANCES_READ = Saldos das contas
permission-ACCOUNTS_TRANSACTIONS_READ = Extratos das contas
permission-ACCOUNTS_OVERDRAFT_LIMITS_READ = Limites de cheque especial
permission-CREDIT_CARDS_ACCOUNTS_READ = Dados dos cartões de crédito
permission-CREDIT_CARDS_ACCOUNTS_BILLS_READ = Faturas do cartão
permission-CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ = Transações das faturas
permission-CREDIT_CARDS_ACCOUNTS_LIMITS_READ = Limites do cartão
permission-CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ = Transações do cartão
permission-CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ = Dados cadastrais (pessoa física)
permission-CUSTOMERS_PERSONAL_ADITTIONALINFO_READ = Informações complementares (pessoa física)
permission-CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ = Dados cadastrais (pessoa jurídica)
permission-CUSTOMERS_BUSINESS_ADITTIONALINFO_READ = Informações complementares (pessoa jurídica)
permission-FINANCINGS_READ = Financiamentos
permission-FINANCINGS_SCHEDULED_INSTALMENTS_READ = Parcelas de financiamentos
permission-FINANCINGS_PAYMENTS_READ = Pagamentos de financiamentos
permission-FINANCINGS_WARRANTIES_READ = Garantias de financiamentos
permission-INVOICE_FINANCINGS_READ = Antecipação de recebíveis
permission-INVOICE_FINANCINGS_SCHEDULED_INSTALMENTS_READ = Parcelas de antecipações
permission-INVOICE_FINANCINGS_PAYMENTS_READ = Pagamentos de antecipações
permission-INVOICE_FINANCINGS_WARRANTIES_READ = Garantias de antecipações
permission-LOANS_READ = Empréstimos
permission-LOANS_SCHEDULED_INSTALMENTS_READ = Parcelas de empréstimos
permission-LOANS_PAYMENTS_READ = Pagamentos de empréstimos
permission-LOANS_WARRANTIES_READ = Garantias de empréstimos
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_READ = Adiantamento a depositante
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_SCHEDULED_INSTALMENTS_READ = Parcelas do adiantamento
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_PAYMENTS_READ = Pagamentos do adiantamento
permission-UNARRANGED_ACCOUNTS_OVERDRAFT_WARRANTIES_READ = Garantias do adiantamento
permission-RESOURCES_READ = Lista dos seus produtos
permission-BANK_FIXED_INCOMES_READ = Renda fixa bancária (CDB, LCI, LCA)
permission-CREDIT_FIXED_INCOMES_READ = Renda fixa crédito (debêntures, CRI, CRA)
permission-FUNDS_READ = Fundos de investimento
permission-VARIABLE_INCOMES_READ = Renda variável
permission-TREASURE_TITLES_READ = Títulos do Tesouro
permission-EXCHANGES_READ = Operações de câmbio

## The document portals' pages
portal-subtitle = Acesso online · sandbox
portal-synthetic = instituição sintética para testes
portal-back = Cancelar e voltar ao aplicativo
portal-login-page = Entrar
portal-login-title = Entrar em { $portal }
portal-login-user = Usuário
portal-login-password = Senha
portal-login-submit = Entrar
portal-login-users = user_good, user_mfa (código 123456), user_deny, user_locked, user_flaky, user_big, user_huge
portal-otp-title = Confirme que é você
portal-otp-lead = Digite o código de 6 dígitos que enviamos ao seu celular.
portal-otp-submit = Confirmar
portal-approve-title = Compartilhar seus documentos?
portal-approve-lead = Um aplicativo pediu para baixar cópias dos seus documentos:
portal-share = Compartilhar documentos
portal-decline = Recusar
portal-always-declines = Este usuário de teste sempre recusa.
portal-error-page = Erro
portal-error-title = Não foi possível continuar
portal-error-lead = Volte ao aplicativo e tente de novo.
portal-error-locked = Sua conta está bloqueada. Ligue para a central de atendimento para desbloqueá-la.
portal-error-credentials = O usuário ou a senha não estão corretos.
portal-error-otp = Esse código não está correto. Tente de novo.
portal-error-used = Este acesso já foi usado. Comece de novo pelo aplicativo.
portal-error-expired = Este acesso expirou ou já foi usado. Comece de novo pelo aplicativo.

## The documents a portal offers to share
document-bank_statement = Extratos mensais da conta
document-1099_int = Formulário 1099-INT (rendimentos de juros)
document-1099_div = Formulário 1099-DIV (dividendos e distribuições)
document-1099_b = Formulário 1099-B (resultados de operações na corretora)
document-year_end_summary = Resumos anuais
