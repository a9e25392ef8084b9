// An independent FAPI 1.0 Advanced authorization server for checking Ponte's
// connector: panva's oidc-provider (OpenID Certified, FAPI 1.0 Advanced), set
// up as close to the Open Finance Brasil profile as its options allow. Every
// protocol check is oidc-provider's own; this file only configures it and
// plays the host application's parts (a login for one user, a consents API
// for the `consent:<id>` scope).
//
// Usage: node server.mjs <config.json>, where the JSON names
//   client_id, redirect_uri, jwks (the client's public sig + enc keys),
//   tls: { cert, key, ca } (PEM), rotate_refresh_tokens (bool),
//   iss_with_id_token (bool, see the end of this file),
//   encrypt_id_tokens (bool, default true), id_token_alg (default PS256; ES256
//   is FAPI 1.0 Advanced but not OFB, for a test that the connector refuses it).
// Prints one JSON line: { "issuer": "https://127.0.0.1:A", "mtls": "https://127.0.0.1:B" }.
// The client's JWKS is also served at {issuer}/keystore/ponte.jwks, as a
// directory keystore would (for dynamic registration with `jwks_uri`).
// The issuer's listener asks for no certificate (the browser's side); the mTLS
// listener asks for one, and discovery names it in `mtls_endpoint_aliases`.

import { X509Certificate, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';

import Provider from 'oidc-provider';
import configurationOf from 'oidc-provider/lib/helpers/weak_cache.js';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const LOA2 = 'urn:brasil:openbanking:loa2';
const USER = 'ofb-user-1';

// oidc-provider 9 has no dynamic scopes any more (v6's `dynamicScopes` is
// gone): a scope becomes an OpenID scope, granted into the access token, only
// once it is in the configuration's set. The consents API registers
// `consent:<id>` there when it creates the consent. The set is reached through
// oidc-provider's own configuration store (the version is pinned).
const scopes = ['openid', 'consents', 'resources', 'accounts', 'credit-cards-accounts', 'customers', 'loans', 'bank-fixed-incomes'];

const listen = (server) => new Promise((resolve) => {
  server.listen(0, '127.0.0.1', () => resolve(server.address().port));
});

const front = https.createServer({ cert: config.tls.cert, key: config.tls.key });
// The certificate is asked for but not chain-checked here: the token binding
// (RFC 8705 `x5t#S256`) is what oidc-provider enforces, and a test presents a
// second, unrelated certificate to see it refused.
const mtls = https.createServer({
  cert: config.tls.cert, key: config.tls.key, ca: config.tls.ca, requestCert: true, rejectUnauthorized: false,
});
const issuer = `https://127.0.0.1:${await listen(front)}`;
const mtlsBase = `https://127.0.0.1:${await listen(mtls)}`;

const idTokenAlg = config.id_token_alg ?? 'PS256';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const signingKeys = [
  { ...rsa.export({ format: 'jwk' }), kid: 'op-sig-ps256', use: 'sig', alg: 'PS256' },
  { ...ec.export({ format: 'jwk' }), kid: 'op-sig-es256', use: 'sig', alg: 'ES256' },
];
const encryption = config.encrypt_id_tokens === false ? {} : {
  id_token_encrypted_response_alg: 'RSA-OAEP',
  id_token_encrypted_response_enc: 'A256GCM',
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    redirect_uris: [config.redirect_uri],
    jwks: config.jwks,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    response_types: ['code id_token'],
    grant_types: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
    id_token_signed_response_alg: idTokenAlg,
    ...encryption,
    request_object_signing_alg: 'PS256',
    tls_client_certificate_bound_access_tokens: true,
    require_pushed_authorization_requests: true,
  }],
  jwks: { keys: signingKeys },
  clientAuthMethods: ['private_key_jwt'],
  responseTypes: ['code id_token'],
  acrValues: [LOA2, 'urn:brasil:openbanking:loa3'],
  scopes,
  enabledJWA: {
    clientAuthSigningAlgValues: ['PS256'],
    idTokenSigningAlgValues: [idTokenAlg],
    requestObjectSigningAlgValues: ['PS256'],
    idTokenEncryptionAlgValues: ['RSA-OAEP'],
    idTokenEncryptionEncValues: ['A256GCM'],
    userinfoSigningAlgValues: ['PS256'],
  },
  features: {
    fapi: { enabled: true, profile: '1.0 Final' },
    clientCredentials: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
    requestObjects: { enabled: true, requireSignedRequestObject: true },
    claimsParameter: { enabled: true },
    encryption: { enabled: true },
    introspection: { enabled: true },
    // RFC 7591/7592 for the dynamic-registration test (no initial access token).
    registration: { enabled: true, initialAccessToken: false },
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    devInteractions: { enabled: false },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      getCertificate(ctx) {
        const peer = ctx.socket.getPeerCertificate?.();
        return peer?.raw ? new X509Certificate(peer.raw) : undefined;
      },
    },
  },
  pkce: { required: () => true },
  // oidc-provider refuses to fetch from loopback addresses (SSRF protection);
  // here the registered `jwks_uri` is on loopback by design. The test process
  // trusts the test CA through NODE_EXTRA_CA_CERTS.
  fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined }),
  // OFB consents are long-lived and use no `offline_access`: refresh tokens
  // go to every client allowed the grant.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: config.rotate_refresh_tokens === true,
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  cookies: { keys: [randomBytes(32).toString('hex')] },
  ttl: {
    AccessToken: 600, AuthorizationCode: 60, ClientCredentials: 600, Grant: 3600, IdToken: 600,
    Interaction: 600, PushedAuthorizationRequest: 60, RefreshToken: 3600, Session: 3600,
  },
  discovery: {
    mtls_endpoint_aliases: {
      registration_endpoint: `${mtlsBase}/reg`,
      token_endpoint: `${mtlsBase}/token`,
      pushed_authorization_request_endpoint: `${mtlsBase}/request`,
      revocation_endpoint: `${mtlsBase}/token/revocation`,
      introspection_endpoint: `${mtlsBase}/token/introspection`,
      userinfo_endpoint: `${mtlsBase}/me`,
    },
  },
});

// The host application's parts. The consents API (OFB, not OAuth) only keeps
// what was asked; its bearer token is looked up through oidc-provider.
const consents = new Map();
const CONSENTS = '/open-banking/consents/v3/consents';
const KEYSTORE = '/keystore/ponte.jwks';

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function consentsApi(req, res) {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  const cc = token && await provider.ClientCredentials.find(token);
  if (!cc || !cc.scope?.split(' ').includes('consents')) {
    return send(res, 401, { errors: [{ code: 'UNAUTHORIZED', title: 'client_credentials token with scope consents required' }] });
  }
  const id = decodeURIComponent(req.url.slice(CONSENTS.length + 1));
  if (req.method === 'POST') {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const { data } = JSON.parse(raw);
    const consent = {
      consentId: `urn:ponteop:${randomUUID()}`,
      status: 'AWAITING_AUTHORISATION',
      permissions: data.permissions,
      expirationDateTime: data.expirationDateTime,
    };
    consents.set(consent.consentId, consent);
    configurationOf(provider).configuration.scopes.add(`consent:${consent.consentId}`);
    return send(res, 201, { data: consent });
  }
  const consent = consents.get(id);
  if (!consent) return send(res, 404, { errors: [{ code: 'NOT_FOUND', title: 'no such consent' }] });
  if (req.method === 'DELETE') {
    consent.status = 'REJECTED';
    consent.rejection = { rejectedBy: 'USER', reason: { code: 'CUSTOMER_MANUALLY_REVOKED' } };
    res.writeHead(204).end();
    return undefined;
  }
  return send(res, 200, { data: consent });
}

// The login and consent pages, answered at once for the one test user: the
// grant is exactly what oidc-provider says is missing.
async function interaction(req, res) {
  const { prompt, params } = await provider.interactionDetails(req, res);
  if (prompt.name === 'login') {
    return provider.interactionFinished(req, res, { login: { accountId: USER, acr: LOA2, amr: ['pwd'] } });
  }
  const grant = new provider.Grant({ accountId: USER, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  for (const scope of params.scope.split(' ')) {
    const consent = consents.get(scope.slice('consent:'.length));
    if (scope.startsWith('consent:') && consent) consent.status = 'AUTHORISED';
  }
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const oidc = provider.callback();
async function handle(req, res) {
  try {
    if (req.url.startsWith(CONSENTS)) return await consentsApi(req, res);
    // The directory's keystore, where an SSA's `software_jwks_uri` points.
    if (req.url === KEYSTORE) return send(res, 200, config.jwks);
    if (req.url.startsWith('/interaction/')) return await interaction(req, res);
    return oidc(req, res);
  } catch (e) {
    console.error(e);
    return send(res, 500, { error: 'server_error' });
  }
}
// RFC 9207 §2: a server advertising `authorization_response_iss_parameter_supported`
// names itself (`iss`) in every authorization response, and §2.4 has the client
// refuse a response without it. oidc-provider leaves `iss` out when the response
// carries an ID token (whose `iss` claim names the issuer). Ponte keeps the RFC's
// check, so by default this host adds the parameter through oidc-provider's own
// event; `iss_with_id_token: false` shows the provider's behaviour unchanged.
if (config.iss_with_id_token !== false) {
  provider.on('authorization.success', (_ctx, out) => {
    out.iss ??= provider.issuer;
  });
}

// The test's instrument, not a protocol check: discovery names mTLS aliases
// for every endpoint Ponte posts to, so a POST on the issuer's listener means
// the connector ignored them (RFC 8705 §5).
front.on('request', (req, res) => {
  if (req.method === 'POST') return send(res, 421, { error: 'invalid_request', error_description: 'use the mtls_endpoint_aliases' });
  return handle(req, res);
});
mtls.on('request', handle);

console.log(JSON.stringify({ issuer, mtls: mtlsBase }));
