# The one catalogue of Ponte's server-rendered pages, Brazilian Portuguese
# (the default language). Every message here has its twin in en.ftl; a test
# checks that both files name the same messages.

## Shared by every page
lang-switch = English
footer-secured = Protegido por Ponte · Open Finance Brasil
privacy = Política de privacidade de { $client }

## /me: the end user's connected banks
me-title = Seus bancos conectados
me-lead = Estes são os bancos que você autorizou a compartilhar seus dados com { $client }. Você pode revogar qualquer um deles a qualquer momento.
me-empty = Você ainda não conectou nenhum banco.
me-shares = Compartilha { $products } até { $date }
me-shared = Compartilhava { $products }
me-revoke = Revogar
me-revoke-label = Revogar a conexão com { $bank }
me-confirm-title = Revogar esta conexão?
me-confirm-lead = O banco deixará de compartilhar seus dados com { $client } e os dados já recebidos serão apagados. Não é possível desfazer.
me-confirm-button = Sim, revogar
me-cancel = Cancelar
me-revoked = Conexão revogada.
me-added = Banco conectado.
me-renewed = Conexão renovada.
me-renew = Renovar
me-renew-label = Renovar a conexão com { $bank }
me-expiring-today = Termina hoje
me-expiring-tomorrow = Termina amanhã
me-expiring-days = Termina em { $days } dias
me-reconnect = Conectar de novo
me-reconnect-label = Conectar { $bank } de novo
me-session-ended = Sua sessão terminou ou este endereço já foi usado. Volte ao aplicativo e abra esta página novamente.
me-not-found = Conexão não encontrada.
me-refused = Não foi possível concluir o pedido. Tente novamente.
me-add-title = Conectar outro banco
me-add-lead = O banco pede o CPF do titular da conta. Ele vai só para o banco que você escolher.
me-add-lead-known = O banco vai receber o CPF { $cpf }, o mesmo da sua primeira conexão.
me-cpf-label = Seu CPF
me-add-button = Adicionar um banco
me-bad-cpf = Este CPF não é válido. Confira os 11 números e tente novamente.

me-status-AUTHORISED = Ativa
me-status-AWAITING_AUTHORISATION = Aguardando autorização
me-status-REJECTED = Recusada
me-status-REVOKED = Revogada
me-status-EXPIRED = Expirada
me-status-other = Desconhecida

product-registration = dados cadastrais
product-accounts = contas e saldos
product-creditCards = cartões de crédito
product-loans = empréstimos
product-investments = investimentos
product-insights = análises
product-other = outros dados

## The documents app's pages in words
docs-invalid-title = Este link não é válido
docs-invalid-text = Não conseguimos abrir o envio de documentos com este link. Volte ao aplicativo que enviou você e comece de novo.
docs-expired-title = Este link expirou
docs-expired-text = Por segurança, o link vale uma hora. Volte ao aplicativo que enviou você e abra-o de novo.
docs-busy-title = Muitas tentativas
docs-busy-text = Espere um minuto e recarregue esta página.
docs-ours-title = Algo deu errado do nosso lado
docs-ours-text = Tente de novo em instantes.
docs-back = Voltar para { $client }
docs-returned-ok-title = Documentos a caminho
docs-returned-ok-text = Seus documentos estão sendo buscados.
docs-returned-declined-title = Não conectado
docs-returned-declined-text = Os documentos não foram compartilhados.
docs-returned-invalid-title = Este acesso não pode ser usado
docs-returned-invalid-text = Ele expirou ou já foi usado. Comece de novo pelo aplicativo.

## The bank's answer (`/callback`): a page only when no redirectUrl follows
callback-finishing-title = Concluindo a conexão…
callback-finishing-wait = Aguarde um instante.
callback-finishing-none = Não recebemos a resposta do seu banco. Comece de novo pelo aplicativo que enviou você.
callback-finishing-noscript = Ative o JavaScript para concluir a conexão.
callback-connected-title = Sua conta está conectada
callback-not-completed-title = A conexão não foi concluída
callback-nothing-more = Nenhuma ação necessária aqui.
callback-close = Você pode fechar esta janela.
callback-failed-title = Não foi possível conectar sua conta
callback-unknown = Esta autorização é desconhecida ou já foi concluída.
callback-unreadable = Não conseguimos ler a resposta do seu banco. Comece de novo pelo aplicativo que enviou você.
callback-ours = Algo deu errado do nosso lado. Tente de novo em instantes.
callback-bank = Seu banco não concluiu a conexão. Comece de novo pelo aplicativo que enviou você.
api-reference = Referência da API
docs-returning-back = Voltar ao aplicativo
