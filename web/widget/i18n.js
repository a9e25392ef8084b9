// Every string the widget shows, in Brazilian Portuguese (the default) and
// English. No DOM here, so the browser tests can check it from Node too.

export const LOCALES = ['pt-BR', 'en'];

export const STRINGS = {
  'pt-BR': {
    'doc.title': 'Conectar sua conta',
    'lang.switch': 'English',
    'exit.label': 'Sair',
    'loading': 'Carregando…',
    'bank.yours': 'seu banco',
    'footer': 'Protegido pela Ponte · Open Finance Brasil',
    'consent.title': '{client} quer acessar alguns dados seus',
    'consent.lead': 'Pelo Open Finance, você autoriza no site do seu banco que estes dados sejam compartilhados com {client}:',
    'consent.for': 'Por quanto tempo',
    'consent.forValue': '{months} meses, até {date}. Você pode cancelar antes, quando quiser.',
    'consent.why': 'Para quê',
    'consent.whyValue': 'Para que {client} conheça sua vida financeira e possa oferecer produtos e condições adequados a você.',
    'consent.safe': 'Você entra no site do seu próprio banco. Nem {client} nem a Ponte veem sua senha.',
    'consent.privacy': 'Política de privacidade de {client}',
    'consent.continue': 'Continuar',
    'product.registration': 'Seus dados cadastrais: nome, CPF, endereço e contatos',
    'product.accounts': 'Suas contas: saldos, limites e extratos',
    'product.creditCards': 'Seus cartões de crédito: limites, faturas e transações',
    'product.loans': 'Seus empréstimos e financiamentos: contratos, parcelas e pagamentos',
    'product.investments': 'Seus investimentos de renda fixa: saldos e movimentações',
    'picker.title': 'Escolha sua instituição',
    'picker.search': 'Buscar instituição',
    'picker.placeholder': 'Nome do banco',
    'picker.count.one': '1 instituição',
    'picker.count.other': '{count} instituições',
    'picker.none': 'Nenhuma instituição encontrada',
    'picker.empty': 'Nenhuma instituição corresponde a “{query}”.',
    'picker.emptyHint': 'Confira a grafia ou procure por outro nome.',
    'picker.outage': 'Indisponível no momento',
    'picker.connecting': 'Conectando…',
    'picker.back': 'Voltar',
    'handoff.title': 'Agora você vai para {bank}',
    'handoff.step1': 'Entre com o usuário e a senha que você usa em {bank}.',
    'handoff.step2': 'Confira os dados e autorize o compartilhamento.',
    'handoff.step3': 'Você volta para cá automaticamente.',
    'handoff.go': 'Ir para {bank}',
    'handoff.other': 'Escolher outro banco',
    'waiting.title': 'Confirmando com {bank}…',
    'waiting.text': 'Isso leva só alguns segundos. Não feche esta janela.',
    'popup.title': 'Continue em {bank}',
    'popup.text': 'Abrimos {bank} em outra janela. Conclua por lá: esta tela se atualiza sozinha.',
    'popup.again': 'Abrir {bank} de novo',
    'returned.title': 'Pronto! Você pode fechar esta janela.',
    'success.title': 'Conta conectada!',
    'success.text': '{client} já pode acessar os dados que você autorizou em {bank}.',
    'success.finish': 'Concluir',
    'failure.cancelled.title': 'Você cancelou em {bank}',
    'failure.cancelled.text': 'Nenhum dado foi compartilhado. Se foi sem querer, tente de novo; se o banco não deixou você entrar, escolha outro banco.',
    'failure.bank.title': '{bank} não concluiu a conexão',
    'failure.bank.text': 'Nenhum dado foi compartilhado. Tente de novo ou escolha outro banco.',
    'failure.retry': 'Tentar de novo',
    'failure.other': 'Escolher outro banco',
    'failure.finish': 'Sair',
    'error.expired.title': 'Este link expirou',
    'error.expired.text': 'Por segurança, o link vale por pouco tempo. Volte ao aplicativo que enviou você para cá e comece de novo.',
    'error.invalid.title': 'Este link não é válido',
    'error.invalid.text': 'Volte ao aplicativo que enviou você para cá e comece de novo.',
    'error.network.title': 'Sem conexão',
    'error.network.text': 'Não conseguimos falar com o servidor. Verifique sua internet e tente de novo.',
    'error.server.title': 'Algo deu errado',
    'error.server.text': 'Não foi culpa sua. Tente de novo em alguns instantes.',
    'error.outage': '{bank} está indisponível no momento. Escolha outro banco ou tente mais tarde.',
    'error.bank': '{bank} não respondeu. Tente de novo ou escolha outro banco.',
    'error.retry': 'Tentar de novo',
    'exit.title': 'Sair sem conectar?',
    'exit.text': 'Nenhum dado será compartilhado. Você pode voltar depois.',
    'exit.stay': 'Continuar conectando',
    'exit.confirm': 'Sair',
    'done.title': 'Tudo certo',
    'done.text': 'Você já pode fechar esta janela.',
    'exited.title': 'Você saiu sem conectar',
    'renew.title': 'Renove sua conexão com {bank}',
    'renew.lead': '{client} continua recebendo seus dados de {bank} por mais {months} meses, até {date}, se você autorizar de novo no site de {bank}.',
    'renew.same': 'Os mesmos dados de antes; nada muda no que você compartilha.',
    'renew.continue': 'Renovar em {bank}',
    'renew.success.title': 'Conexão renovada!',
    'renew.success.text': '{client} continua recebendo os dados que você autorizou em {bank}, agora até {date}.',
    'renew.failure.text': 'Sua conexão continua como estava, até a data de vencimento. Tente de novo quando quiser.',
  },
  en: {
    'doc.title': 'Connect your account',
    'lang.switch': 'Português',
    'exit.label': 'Exit',
    'loading': 'Loading…',
    'bank.yours': 'your bank',
    'footer': 'Secured by Ponte · Open Finance Brasil',
    'consent.title': '{client} would like to access some of your data',
    'consent.lead': 'Through Open Finance, you approve on your bank’s own site that this data is shared with {client}:',
    'consent.for': 'For how long',
    'consent.forValue': '{months} months, until {date}. You can cancel earlier, whenever you like.',
    'consent.why': 'Why',
    'consent.whyValue': 'So that {client} understands your finances and can offer you products and terms that fit you.',
    'consent.safe': 'You log in on your own bank’s site. Neither {client} nor Ponte ever sees your password.',
    'consent.privacy': '{client}’s privacy policy',
    'consent.continue': 'Continue',
    'product.registration': 'Your registration details: name, CPF, address and contacts',
    'product.accounts': 'Your accounts: balances, limits and statements',
    'product.creditCards': 'Your credit cards: limits, bills and transactions',
    'product.loans': 'Your loans and financing: contracts, instalments and payments',
    'product.investments': 'Your fixed-income investments: balances and transactions',
    'picker.title': 'Choose your institution',
    'picker.search': 'Search institutions',
    'picker.placeholder': 'Bank name',
    'picker.count.one': '1 institution',
    'picker.count.other': '{count} institutions',
    'picker.none': 'No institution found',
    'picker.empty': 'No institution matches “{query}”.',
    'picker.emptyHint': 'Check the spelling or search for another name.',
    'picker.outage': 'Temporarily unavailable',
    'picker.connecting': 'Connecting…',
    'picker.back': 'Back',
    'handoff.title': 'You are now going to {bank}',
    'handoff.step1': 'Log in with the username and password you use at {bank}.',
    'handoff.step2': 'Check the data and approve sharing it.',
    'handoff.step3': 'You come back here automatically.',
    'handoff.go': 'Go to {bank}',
    'handoff.other': 'Choose another bank',
    'waiting.title': 'Confirming with {bank}…',
    'waiting.text': 'This only takes a few seconds. Please keep this window open.',
    'popup.title': 'Continue at {bank}',
    'popup.text': 'We opened {bank} in another window. Finish there: this screen updates by itself.',
    'popup.again': 'Open {bank} again',
    'returned.title': 'Done! You can close this window.',
    'success.title': 'Account connected!',
    'success.text': '{client} can now access the data you approved at {bank}.',
    'success.finish': 'Finish',
    'failure.cancelled.title': 'You cancelled at {bank}',
    'failure.cancelled.text': 'No data was shared. If that was a mistake, try again; if the bank did not let you in, choose another bank.',
    'failure.bank.title': '{bank} did not complete the connection',
    'failure.bank.text': 'No data was shared. Try again or choose another bank.',
    'failure.retry': 'Try again',
    'failure.other': 'Choose another bank',
    'failure.finish': 'Exit',
    'error.expired.title': 'This link has expired',
    'error.expired.text': 'For your security, links are valid for a short time. Go back to the app that sent you here and start again.',
    'error.invalid.title': 'This link is not valid',
    'error.invalid.text': 'Go back to the app that sent you here and start again.',
    'error.network.title': 'No connection',
    'error.network.text': 'We could not reach the server. Check your internet connection and try again.',
    'error.server.title': 'Something went wrong',
    'error.server.text': 'It was not your fault. Please try again in a moment.',
    'error.outage': '{bank} is unavailable at the moment. Choose another bank or try again later.',
    'error.bank': '{bank} did not answer. Try again or choose another bank.',
    'error.retry': 'Try again',
    'exit.title': 'Exit without connecting?',
    'exit.text': 'No data will be shared. You can come back later.',
    'exit.stay': 'Keep connecting',
    'exit.confirm': 'Exit',
    'done.title': 'All done',
    'done.text': 'You can close this window now.',
    'exited.title': 'You left without connecting',
    'renew.title': 'Renew your connection with {bank}',
    'renew.lead': '{client} keeps receiving your data from {bank} for another {months} months, until {date}, once you approve it again on {bank}’s own site.',
    'renew.same': 'The same data as before; nothing changes in what you share.',
    'renew.continue': 'Renew at {bank}',
    'renew.success.title': 'Connection renewed!',
    'renew.success.text': '{client} keeps receiving the data you approved at {bank}, now until {date}.',
    'renew.failure.text': 'Your connection stays as it was, until its expiry date. Try again whenever you like.',
  },
};

// The one language rule (the server's is crates/ponte-server/src/web/lang.rs):
// an explicit choice, remembered in the `ponte_lang` cookie on every Ponte
// page; else the link's locale; else the browser's languages; else pt-BR.
const COOKIE = 'ponte_lang';

/** The language the end user chose on any Ponte page, if any. */
export function chosenLocale() {
  const found = document.cookie.split(';').map((c) => c.trim().split('=')).find(([k]) => k === COOKIE);
  const v = found && String(found[1] || '').toLowerCase();
  if (!v) return null;
  return v.startsWith('en') ? 'en' : v.startsWith('pt') ? 'pt-BR' : null;
}

/** Remembers a choice made with a page's switch, for every Ponte page. */
export function rememberLocale(locale) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

/** The rule, given the link's (or client's) locale when known. */
export function ruleLocale(context) {
  const c = context === 'en' || context === 'pt-BR' ? context : null;
  return chosenLocale() || c || pickLocale(navigator.languages);
}

/** The first of the browser's languages we speak; Portuguese otherwise. */
export function pickLocale(languages) {
  for (const lang of languages || []) {
    const l = String(lang).toLowerCase();
    if (l.startsWith('pt')) return 'pt-BR';
    if (l.startsWith('en')) return 'en';
  }
  return 'pt-BR';
}

/** The string `key` in `locale` with `{name}` placeholders filled from `vars`. */
export function t(locale, key, vars = {}) {
  const table = STRINGS[locale] || STRINGS['pt-BR'];
  const text = table[key] ?? STRINGS['pt-BR'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** "25 de novembro de 2027" / "November 25, 2027". */
export function formatDate(locale, date) {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'pt-BR', { dateStyle: 'long' }).format(date);
}

/** "R$ 1.234,56" / "R$1,234.56": amounts are reais in both languages. */
export function formatMoney(locale, amount) {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'pt-BR', { style: 'currency', currency: 'BRL' }).format(amount);
}

/** "1 instituição" / "12 instituições", by the language's plural rules. */
export function countLabel(locale, count) {
  if (count === 0) return t(locale, 'picker.none');
  const rule = new Intl.PluralRules(locale === 'en' ? 'en-US' : 'pt-BR').select(count);
  return t(locale, rule === 'one' ? 'picker.count.one' : 'picker.count.other', { count });
}
