// Every string the console shows, in Brazilian Portuguese (the default) and English.
export const STRINGS = {
  'pt-BR': {
    'lang.switch': 'English', 'title': 'Console Ponte',
    'signin.title': 'Entrar no console', 'signin.email': 'E-mail', 'signin.password': 'Senha',
    'signin.submit': 'Entrar', 'signin.link': 'Entrando com o link…', 'signout': 'Sair',
    'nav.overview': 'Visão geral', 'nav.connections': 'Conexões', 'nav.webhooks': 'Webhooks', 'nav.settings': 'Configurações',
    'overview.title': 'Últimos 30 dias', 'overview.links': 'Links criados por dia', 'overview.consents': 'Mudanças de status dos consentimentos por dia',
    'overview.requests': 'Solicitações de dados por dia', 'overview.webhooks': 'Mensagens de webhook por dia', 'overview.latency': 'Latência das entregas de webhook (30 dias)',
    'overview.now': 'Consentimentos agora', 'overview.nothing': 'Nada nos últimos 30 dias.',
    'overview.noDeliveries': 'Nenhuma tentativa de entrega nos últimos 30 dias.', 'overview.p95PerDay': 'p95 por dia',
    'overview.institutions': 'Consentimentos por instituição (30 dias)', 'overview.chartLabel': '{what}, por dia; total: {total}',
    'overview.total': 'Total',
    'conn.title': 'Conexões', 'conn.consent': 'Consentimento', 'conn.link': 'Link', 'conn.taxId': 'CPF/CNPJ', 'conn.track': 'External track id', 'conn.institution': 'Instituição',
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
    'nav.clients': 'Clientes', 'clients.title': 'Escolha um cliente', 'clients.search': 'Buscar por nome ou id',
    'clients.none': 'Nenhum cliente encontrado.', 'clients.more': 'Há mais clientes: refine a busca.', 'clients.current': 'Cliente: {name}',
    'clients.open': 'Abrir',
    'series.created': 'Criados', 'series.AWAITING_AUTHORISATION': 'Aguardando autorização', 'series.AUTHORISED': 'Autorizados',
    'series.REJECTED': 'Recusados', 'series.EXPIRED': 'Expirados', 'series.REVOKED': 'Revogados',
    'series.SUCCESS': 'Concluídas', 'series.FAILED': 'Falharam',
    'series.delivered': 'Entregues', 'series.pending': 'Tentando de novo', 'series.dead': 'Falhas definitivas',
    'series.p50': 'Mediana (p50)', 'series.p95': 'p95 (95% abaixo de)',
    'st.AWAITING_AUTHORISATION': 'Aguardando autorização', 'st.AUTHORISED': 'Autorizado', 'st.REJECTED': 'Recusado',
    'st.EXPIRED': 'Expirado', 'st.REVOKED': 'Revogado', 'st.SUCCESS': 'Concluído', 'st.FAILED': 'Falhou',
    'st.pending': 'Pendente', 'st.delivered': 'Entregue', 'st.dead': 'Falha definitiva',
    'wh.test': 'Enviar um evento de teste', 'wh.testUrl': 'URL de destino', 'wh.testGo': 'Enviar teste',
    'wh.testHelp': 'Um evento TEST assinado com o segredo de webhook do cliente, enviado uma vez agora; não entra no registro de entregas.',
    'wh.testOk': 'Entregue: HTTP {code} em {ms} ms.', 'wh.testRefused': 'O destino respondeu HTTP {code} em {ms} ms: não conta como entregue.',
    'wh.testFailed': 'Sem resposta após {ms} ms: {error}', 'wh.testSending': 'Enviando…', 'wh.replayedCount': '{replayed} reenviadas, {skipped} ignoradas.',
    'set.editWebhooks': 'Salvar webhooks', 'set.autoHelp': 'Buscar todos os produtos permitidos assim que um consentimento for autorizado',
    'set.urlHelp': 'Vazio: sem URL.', 'set.clientId': 'Id do cliente',
    'nav.renewals': 'Renovações', 'ren.title': 'Renovações e duplicadas',
    'ren.expiring': 'Vencendo em breve', 'ren.expiringHelp': 'Conexões autorizadas que vencem nos próximos {days} dias (o aviso CONSENT_EXPIRING do cliente).',
    'ren.expires': 'Vence em', 'ren.daysLeft': 'Faltam', 'ren.day': '{n} dia', 'ren.days': '{n} dias', 'ren.renew': 'Renovar',
    'ren.command': 'Renovar sem redirecionamento (API)', 'ren.updateLink': 'Criar link de renovação',
    'ren.linkMade': 'Envie este link ao usuário: ele renova no banco e a conexão mantém o mesmo consentId.',
    'ren.noneExpiring': 'Nenhuma conexão vence nesse prazo.',
    'ren.duplicates': 'Conexões duplicadas', 'ren.duplicatesHelp': 'Consentimentos criados para a mesma pessoa e instituição de outro já autorizado (duplicateOf).',
    'ren.duplicateOf': 'Duplica', 'ren.noDuplicates': 'Nenhuma conexão duplicada.',
    'ren.quota': 'Cota do mês', 'ren.endpoint': 'Endpoint', 'ren.used': 'Usadas', 'ren.remaining': 'Restantes', 'ren.resets': 'Renova em',
  },
  en: {
    'lang.switch': 'Português', 'title': 'Ponte console',
    'signin.title': 'Sign in to the console', 'signin.email': 'E-mail', 'signin.password': 'Password',
    'signin.submit': 'Sign in', 'signin.link': 'Signing in with the link…', 'signout': 'Sign out',
    'nav.overview': 'Overview', 'nav.connections': 'Connections', 'nav.webhooks': 'Webhooks', 'nav.settings': 'Settings',
    'overview.title': 'Last 30 days', 'overview.links': 'Links created per day', 'overview.consents': 'Consent status changes per day',
    'overview.requests': 'Data requests per day', 'overview.webhooks': 'Webhook messages per day', 'overview.latency': 'Webhook delivery latency (30 days)',
    'overview.now': 'Consents now', 'overview.nothing': 'Nothing in the last 30 days.',
    'overview.noDeliveries': 'No delivery attempts in the last 30 days.', 'overview.p95PerDay': 'p95 per day',
    'overview.institutions': 'Consents per institution (30 days)', 'overview.chartLabel': '{what}, per day; total: {total}',
    'overview.total': 'Total',
    'conn.title': 'Connections', 'conn.consent': 'Consent', 'conn.link': 'Link', 'conn.taxId': 'CPF/CNPJ', 'conn.track': 'External track id', 'conn.institution': 'Institution',
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
    'nav.clients': 'Clients', 'clients.title': 'Pick a client', 'clients.search': 'Search by name or id',
    'clients.none': 'No clients found.', 'clients.more': 'There are more clients: narrow the search.', 'clients.current': 'Client: {name}',
    'clients.open': 'Open',
    'series.created': 'Created', 'series.AWAITING_AUTHORISATION': 'Awaiting authorisation', 'series.AUTHORISED': 'Authorised',
    'series.REJECTED': 'Rejected', 'series.EXPIRED': 'Expired', 'series.REVOKED': 'Revoked',
    'series.SUCCESS': 'Succeeded', 'series.FAILED': 'Failed',
    'series.delivered': 'Delivered', 'series.pending': 'Retrying', 'series.dead': 'Dead',
    'series.p50': 'Median (p50)', 'series.p95': 'p95 (95% below)',
    'st.AWAITING_AUTHORISATION': 'Awaiting authorisation', 'st.AUTHORISED': 'Authorised', 'st.REJECTED': 'Rejected',
    'st.EXPIRED': 'Expired', 'st.REVOKED': 'Revoked', 'st.SUCCESS': 'Succeeded', 'st.FAILED': 'Failed',
    'st.pending': 'Pending', 'st.delivered': 'Delivered', 'st.dead': 'Dead',
    'wh.test': 'Send a test event', 'wh.testUrl': 'Target URL', 'wh.testGo': 'Send test',
    'wh.testHelp': "A TEST event signed with the client's webhook secret, sent once now; it is not written to the delivery log.",
    'wh.testOk': 'Delivered: HTTP {code} in {ms} ms.', 'wh.testRefused': 'The target answered HTTP {code} in {ms} ms: not counted as delivered.',
    'wh.testFailed': 'No answer after {ms} ms: {error}', 'wh.testSending': 'Sending…', 'wh.replayedCount': '{replayed} replayed, {skipped} skipped.',
    'set.editWebhooks': 'Save webhooks', 'set.autoHelp': 'Retrieve every allowed product as soon as a consent is authorised',
    'set.urlHelp': 'Empty: no URL.', 'set.clientId': 'Client id',
    'nav.renewals': 'Renewals', 'ren.title': 'Renewals and duplicates',
    'ren.expiring': 'Expiring soon', 'ren.expiringHelp': "Authorised connections that expire within the next {days} days (the client's CONSENT_EXPIRING warning).",
    'ren.expires': 'Expires', 'ren.daysLeft': 'Left', 'ren.day': '{n} day', 'ren.days': '{n} days', 'ren.renew': 'Renew',
    'ren.command': 'Renew without a redirect (API)', 'ren.updateLink': 'Make a renewal link',
    'ren.linkMade': 'Send this link to the end user: they renew at the bank and the connection keeps the same consentId.',
    'ren.noneExpiring': 'No connection expires within that time.',
    'ren.duplicates': 'Duplicate connections', 'ren.duplicatesHelp': 'Consents made for the same person and institution as another already authorised (duplicateOf).',
    'ren.duplicateOf': 'Duplicates', 'ren.noDuplicates': 'No duplicate connections.',
    'ren.quota': "This month's quota", 'ren.endpoint': 'Endpoint', 'ren.used': 'Used', 'ren.remaining': 'Remaining', 'ren.resets': 'Resets',
  },
};

// The one language rule (the server's is crates/ponte-server/src/web/lang.rs):
// a choice made with the switch on any Ponte page (the `ponte_lang` cookie),
// else the browser's languages, else Brazilian Portuguese.
const COOKIE = 'ponte_lang';

function tagOf(raw) {
  const v = String(raw || '').toLowerCase();
  return v.startsWith('en') ? 'en' : v.startsWith('pt') ? 'pt-BR' : null;
}

function chosen() {
  const found = document.cookie.split(';').map((c) => c.trim().split('=')).find(([k]) => k === COOKIE);
  return found ? tagOf(found[1]) : null;
}

let locale = chosen() || (navigator.languages || []).map(tagOf).find(Boolean) || 'pt-BR';
document.documentElement.lang = locale;

export function getLocale() { return locale; }
export function toggleLocale() {
  locale = locale === 'en' ? 'pt-BR' : 'en';
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  document.documentElement.lang = locale;
}
export function t(key, vars = {}) {
  const s = STRINGS[locale][key] ?? STRINGS['pt-BR'][key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

// 'YYYY-MM-DD' (a UTC day) as the reader writes a short date: 06/12 or
// Dec 6 (a numeric 12/06 would read as June to half the English readers).
export function shortDay(day) {
  const style = locale === 'en' ? { day: 'numeric', month: 'short' } : { day: '2-digit', month: '2-digit' };
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { ...style, timeZone: 'UTC' });
}
export function longDay(day) {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

// A status in words, never the raw code ('AUTHORISED' → 'Autorizado').
export function statusText(code) {
  return STRINGS[locale][`st.${code}`] ? t(`st.${code}`) : code;
}
