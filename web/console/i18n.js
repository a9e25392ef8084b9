// Every string the console shows, in Brazilian Portuguese (the default) and English.
export const STRINGS = {
  'pt-BR': {
    'lang.switch': 'English', 'title': 'Console Ponte',
    'signin.title': 'Entrar no console', 'signin.email': 'E-mail', 'signin.password': 'Senha',
    'signin.submit': 'Entrar', 'signin.link': 'Entrando com o link…', 'signout': 'Sair',
    'nav.overview': 'Visão geral', 'nav.connections': 'Conexões', 'nav.webhooks': 'Webhooks', 'nav.settings': 'Configurações',
    'overview.title': 'Últimos 30 dias', 'overview.links': 'Links criados', 'overview.consents': 'Consentimentos',
    'overview.requests': 'Solicitações de dados', 'overview.webhooks': 'Entregas de webhook', 'overview.latency': 'Latência dos webhooks (ms)',
    'overview.total': 'Total',
    'conn.title': 'Conexões', 'conn.taxId': 'CPF/CNPJ', 'conn.track': 'External track id', 'conn.institution': 'Instituição',
    'conn.status': 'Status', 'conn.from': 'De', 'conn.to': 'Até', 'conn.search': 'Buscar', 'conn.created': 'Criado em',
    'conn.none': 'Nenhuma conexão encontrada.', 'conn.more': 'Próxima página', 'conn.prev': 'Página anterior',
    'detail.history': 'Histórico de status', 'detail.products': 'Produtos obtidos', 'detail.reports': 'Relatórios',
    'detail.revoke': 'Revogar consentimento', 'detail.revokeConfirm': 'Revogar este consentimento? Os dados obtidos serão apagados.',
    'detail.none': 'Nenhum.', 'detail.back': '← Conexões', 'detail.product': 'Produto', 'detail.generated': 'Gerado em',
    'wh.title': 'Webhooks', 'wh.event': 'Evento', 'wh.status': 'Status', 'wh.url': 'URL', 'wh.from': 'De (RFC 3339)', 'wh.to': 'Até (RFC 3339)',
    'wh.filter': 'Filtrar', 'wh.attempts': 'Tentativas', 'wh.none': 'Nenhuma mensagem.', 'wh.replay': 'Reenviar',
    'wh.replayDead': 'Reenviar todas as mortas desde', 'wh.replayDeadGo': 'Reenviar', 'wh.disabled': 'Endpoints desativados (410 Gone)',
    'wh.enable': 'Reativar', 'wh.noneDisabled': 'Nenhum endpoint desativado.', 'wh.back': '← Webhooks', 'wh.body': 'Corpo',
    'wh.headers': 'Cabeçalhos', 'wh.code': 'Código', 'wh.latency': 'Latência (ms)', 'wh.error': 'Erro', 'wh.answer': 'Resposta (1 KiB)', 'wh.at': 'Quando',
    'wh.replayed': 'Reenvio pedido: a nova tentativa aparece em instantes.',
    'set.title': 'Configurações', 'set.keys': 'Chaves de API', 'set.apiKey': 'API key', 'set.rotate': 'Gerar novo API secret',
    'set.newSecret': 'Novo API secret (mostrado só agora; o anterior funciona por mais 24 h):',
    'set.rotateWh': 'Gerar novo segredo de webhook', 'set.newWh': 'Novo segredo de webhook (mostrado só agora):',
    'set.webhooks': 'Webhooks', 'set.webhookUrl': 'URL de eventos', 'set.reportUrl': 'URL de relatórios', 'set.auto': 'Entrega automática',
    'set.branding': 'Marca no widget', 'set.displayName': 'Nome exibido', 'set.logo': 'URL do logo (https)', 'set.color': 'Cor principal',
    'set.privacy': 'URL da política de privacidade', 'set.origins': 'Origens que podem incorporar o widget', 'set.save': 'Salvar',
    'set.saved': 'Salvo.', 'set.preview': 'Pré-visualização do widget', 'yes': 'sim', 'no': 'não', 'none': '—',
    'nav.sandbox': 'Sandbox', 'sandbox.cpf': 'CPF', 'sandbox.createLink': 'Criar um link', 'sandbox.open': 'abrir o widget',
    'sandbox.consent': 'Consentimento', 'sandbox.user': 'Usuário', 'sandbox.password': 'Senha', 'sandbox.otp': 'Código (user_mfa: 123456)',
    'sandbox.authorise': 'Autorizar como usuário de teste', 'sandbox.revoke': 'Revogar no banco', 'sandbox.users': 'Usuários do sandbox',
    'sandbox.behaviour': 'O que acontece',
    'sandbox.u.good': 'entra e aprova', 'sandbox.u.deny': 'entra e recusa', 'sandbox.u.mfa': 'pede o código 123456',
    'sandbox.u.locked': 'conta bloqueada', 'sandbox.u.flaky': 'a API do banco falha nas duas primeiras chamadas',
    'sandbox.u.big': 'cinco anos de histórico', 'sandbox.u.expiring': 'tokens do banco expiram após 3 chamadas',
    'sandbox.u.throttled': 'a primeira chamada de cada recurso recebe 429',
    'error.generic': 'Algo deu errado: {message}',
  },
  en: {
    'lang.switch': 'Português', 'title': 'Ponte console',
    'signin.title': 'Sign in to the console', 'signin.email': 'E-mail', 'signin.password': 'Password',
    'signin.submit': 'Sign in', 'signin.link': 'Signing in with the link…', 'signout': 'Sign out',
    'nav.overview': 'Overview', 'nav.connections': 'Connections', 'nav.webhooks': 'Webhooks', 'nav.settings': 'Settings',
    'overview.title': 'Last 30 days', 'overview.links': 'Links created', 'overview.consents': 'Consents',
    'overview.requests': 'Data requests', 'overview.webhooks': 'Webhook deliveries', 'overview.latency': 'Webhook latency (ms)',
    'overview.total': 'Total',
    'conn.title': 'Connections', 'conn.taxId': 'CPF/CNPJ', 'conn.track': 'External track id', 'conn.institution': 'Institution',
    'conn.status': 'Status', 'conn.from': 'From', 'conn.to': 'To', 'conn.search': 'Search', 'conn.created': 'Created',
    'conn.none': 'No connections found.', 'conn.more': 'Next page', 'conn.prev': 'Previous page',
    'detail.history': 'Status history', 'detail.products': 'Products retrieved', 'detail.reports': 'Reports',
    'detail.revoke': 'Revoke consent', 'detail.revokeConfirm': 'Revoke this consent? The data retrieved will be erased.',
    'detail.none': 'None.', 'detail.back': '← Connections', 'detail.product': 'Product', 'detail.generated': 'Generated',
    'wh.title': 'Webhooks', 'wh.event': 'Event', 'wh.status': 'Status', 'wh.url': 'URL', 'wh.from': 'From (RFC 3339)', 'wh.to': 'To (RFC 3339)',
    'wh.filter': 'Filter', 'wh.attempts': 'Attempts', 'wh.none': 'No messages.', 'wh.replay': 'Replay',
    'wh.replayDead': 'Replay every dead message since', 'wh.replayDeadGo': 'Replay', 'wh.disabled': 'Disabled endpoints (410 Gone)',
    'wh.enable': 'Enable', 'wh.noneDisabled': 'No disabled endpoints.', 'wh.back': '← Webhooks', 'wh.body': 'Body',
    'wh.headers': 'Headers', 'wh.code': 'Status code', 'wh.latency': 'Latency (ms)', 'wh.error': 'Error', 'wh.answer': 'Answer (1 KiB)', 'wh.at': 'At',
    'wh.replayed': 'Replay requested: the new attempt shows up in a moment.',
    'set.title': 'Settings', 'set.keys': 'API keys', 'set.apiKey': 'API key', 'set.rotate': 'Rotate API secret',
    'set.newSecret': 'New API secret (shown only now; the previous one works for 24 more hours):',
    'set.rotateWh': 'Rotate webhook secret', 'set.newWh': 'New webhook secret (shown only now):',
    'set.webhooks': 'Webhooks', 'set.webhookUrl': 'Event URL', 'set.reportUrl': 'Report URL', 'set.auto': 'Auto-delivery',
    'set.branding': 'Widget branding', 'set.displayName': 'Display name', 'set.logo': 'Logo URL (https)', 'set.color': 'Primary colour',
    'set.privacy': 'Privacy policy URL', 'set.origins': 'Origins allowed to embed the widget', 'set.save': 'Save',
    'set.saved': 'Saved.', 'set.preview': 'Widget preview', 'yes': 'yes', 'no': 'no', 'none': '—',
    'nav.sandbox': 'Sandbox', 'sandbox.cpf': 'CPF', 'sandbox.createLink': 'Create a link', 'sandbox.open': 'open the widget',
    'sandbox.consent': 'Consent', 'sandbox.user': 'User', 'sandbox.password': 'Password', 'sandbox.otp': 'Code (user_mfa: 123456)',
    'sandbox.authorise': 'Authorise as a test user', 'sandbox.revoke': 'Revoke at the bank', 'sandbox.users': 'Sandbox users',
    'sandbox.behaviour': 'What happens',
    'sandbox.u.good': 'logs in and approves', 'sandbox.u.deny': 'logs in and rejects', 'sandbox.u.mfa': 'asks for the code 123456',
    'sandbox.u.locked': 'account locked', 'sandbox.u.flaky': 'the bank API fails the first two calls',
    'sandbox.u.big': 'five years of history', 'sandbox.u.expiring': 'bank tokens expire after 3 calls',
    'sandbox.u.throttled': 'the first call of each resource gets 429',
    'error.generic': 'Something went wrong: {message}',
  },
};

let locale = localStorage.getItem('ponte.console.lang') === 'en' ? 'en' : 'pt-BR';

export function getLocale() { return locale; }
export function toggleLocale() {
  locale = locale === 'en' ? 'pt-BR' : 'en';
  localStorage.setItem('ponte.console.lang', locale);
  document.documentElement.lang = locale;
}
export function t(key, vars = {}) {
  const s = STRINGS[locale][key] ?? STRINGS['pt-BR'][key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}
