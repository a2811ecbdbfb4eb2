// Loopback OpenID Connect providers for tests -- NOT for production.
//
// Fostering Hub signs staff in through their council's identity provider (OpenID Connect,
// authorization code flow with PKCE). To test that against the real protocol rather than a
// hand-written imitation, this script runs panva's `oidc-provider` (an OpenID Certified provider
// for Node.js) twice, as two independent councils' providers on loopback ports:
//
//   portsmouth  accounts <id>@portsmouth.gov.uk   client fostering-hub / fh-secret-portsmouth
//   kent        accounts <id>@kent.gov.uk         client fostering-hub / fh-secret-kent
//   (both)      client other-app / other-secret   (a token meant for a different audience)
//
// Accounts (every password is `Passw0rd!`; the account id is the e-mail's local part):
//   assessor  Asha Assessor  groups fh-assessors              amr ["pwd"]
//   manager   Mo Manager     groups fh-managers, all-staff    amr ["pwd","mfa"]
//   nogroup   Nia Nogroup    groups all-staff                 amr ["pwd"]
//   admin     Ada Admin      groups fh-admins                 amr ["pwd","mfa"]
// The ID token carries sub, email, email_verified, name, groups, amr and acr ("mfa" or "pwd").
// Consent is granted automatically; the login page is /interaction/<uid>.
//
// Usage: node end2end/oidc/provider.mjs
//   Prints one line of JSON on stdout once both are listening, e.g.
//   {"portsmouth":"http://127.0.0.1:41234","kent":"http://127.0.0.1:41235"}
//   and nothing else there (logs go to stderr). Exits when stdin ends (so it dies with the test
//   process that spawned it) unless OIDC_KEEP_RUNNING=1; exits on SIGTERM/SIGINT.
// Environment:
//   OIDC_PORTSMOUTH_PORT, OIDC_KENT_PORT  ports on 127.0.0.1 (default 0: any free port)
//   OIDC_REDIRECT_URIS        comma-separated redirect URIs registered for both clients
//   OIDC_POST_LOGOUT_REDIRECT_URIS  comma-separated; default: the redirect URIs with
//                             /staff/sign-in/sso/callback replaced by /staff/sign-in?signed_out=1
//   OIDC_KEEP_RUNNING=1       ignore the end of stdin
// Test controls on each provider's port (answered before oidc-provider sees the request):
//   POST /__test/accounts/<accountId>  JSON {"groups":[...],"mfa":true}, either key optional: 204
//                                      (404 for an unknown account, 400 for a bad body)
//   POST /__test/reset                 every account back to the defaults above: 204

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

// oidc-provider prints its notices with console.info, which goes to stdout; stdout is reserved
// for the single line of JSON, so everything else is sent to stderr. Done before the import.
console.log = console.error;
console.info = console.error;
const { default: Provider, errors: oidcErrors } = await import('oidc-provider');

const PASSWORD = 'Passw0rd!';

const DEFAULT_ACCOUNTS = {
  assessor: { name: 'Asha Assessor', groups: ['fh-assessors'], mfa: false },
  manager: { name: 'Mo Manager', groups: ['fh-managers', 'all-staff'], mfa: true },
  nogroup: { name: 'Nia Nogroup', groups: ['all-staff'], mfa: false },
  admin: { name: 'Ada Admin', groups: ['fh-admins'], mfa: true },
};

const COUNCILS = [
  {
    key: 'portsmouth',
    title: 'Portsmouth City Council',
    domain: 'portsmouth.gov.uk',
    secret: 'fh-secret-portsmouth',
    port: process.env.OIDC_PORTSMOUTH_PORT,
  },
  {
    key: 'kent',
    title: 'Kent County Council',
    domain: 'kent.gov.uk',
    secret: 'fh-secret-kent',
    port: process.env.OIDC_KENT_PORT,
  },
];

const CALLBACK_PATH = '/staff/sign-in/sso/callback';
const SIGNED_OUT_PATH = '/staff/sign-in?signed_out=1';

function listFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

const REDIRECT_URIS = listFromEnv('OIDC_REDIRECT_URIS', [
  `http://127.0.0.1:3000${CALLBACK_PATH}`,
  `http://127.0.0.1:3100${CALLBACK_PATH}`,
  `http://localhost${CALLBACK_PATH}`,
]);
const POST_LOGOUT_REDIRECT_URIS = listFromEnv(
  'OIDC_POST_LOGOUT_REDIRECT_URIS',
  [...new Set(REDIRECT_URIS.map((uri) => uri.replace(CALLBACK_PATH, SIGNED_OUT_PATH)))],
);

function log(...args) {
  console.error('[oidc]', ...args);
}

function parsePort(value, name) {
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number, not ${JSON.stringify(value)}`);
  }
  return port;
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
label{display:block;font-weight:600;margin-top:1rem}
input{display:block;width:100%;box-sizing:border-box;padding:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.4rem 1rem;font-size:1rem}
.error{border-left:4px solid #b00;padding:.25rem .75rem;color:#b00}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

async function readBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', type);
  res.end(body);
}

function defaultAccounts() {
  return new Map(Object.entries(DEFAULT_ACCOUNTS).map(([id, account]) => [
    id,
    { ...account, groups: [...account.groups] },
  ]));
}

function authenticationMethods(account) {
  return account.mfa
    ? { amr: ['pwd', 'mfa'], acr: 'mfa' }
    : { amr: ['pwd'], acr: 'pwd' };
}

// Each provider's signing key is read from keys/<council>.pem (made for these tests; they sign
// nothing else). Not generated at start: on Node 20, generating an RSA key and exporting it as a
// JWK can deadlock when garbage collection finalises the key-generation job meanwhile (seen: the
// provider hung before printing its issuers, holding up every test waiting for it).
function rsaSigningKey(council) {
  const pem = fs.readFileSync(new URL(`./keys/${council}.pem`, import.meta.url));
  const privateKey = crypto.createPrivateKey(pem);
  return { ...privateKey.export({ format: 'jwk' }), kid: `${council}-1`, alg: 'RS256', use: 'sig' };
}

// One council's provider: its accounts, its oidc-provider instance and its request handler.
function createCouncil(council, issuer) {
  let accounts = defaultAccounts();

  const claimsOf = (id, account) => ({
    sub: id,
    email: `${id}@${council.domain}`,
    email_verified: true,
    name: account.name,
    groups: [...account.groups],
  });

  const clients = [
    { client_id: 'fostering-hub', client_secret: council.secret },
    { client_id: 'other-app', client_secret: 'other-secret' },
  ].map((client) => ({
    ...client,
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
  }));

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [rsaSigningKey(council.key)] },
    cookies: {
      // Both providers share the host 127.0.0.1 and cookies ignore ports: distinct names keep
      // one provider's session cookie from replacing the other's. Plain http: never `secure`.
      names: {
        session: `_${council.key}_session`,
        interaction: `_${council.key}_interaction`,
        resume: `_${council.key}_interaction_resume`,
      },
      long: { httpOnly: true, sameSite: 'lax', secure: false },
      short: { httpOnly: true, sameSite: 'lax', secure: false },
      keys: [crypto.randomBytes(32).toString('base64url')],
    },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          // Looked up at use, so /__test/accounts changes reach the next token.
          const current = accounts.get(id) ?? account;
          return claimsOf(id, current);
        },
      };
    },
    // Claims per scope. openid's are always in the ID token: groups, and amr/acr from the login.
    claims: {
      openid: ['sub', 'groups', 'amr', 'acr'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      sid: null,
      auth_time: null,
      iss: null,
    },
    acrValues: ['pwd', 'mfa'],
    responseTypes: ['code'],
    // Put the scopes' claims in the ID token itself, not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    // First-party clients: consent is implied. Find (or start) the grant for this client and
    // make sure it covers what is asked, so the consent prompt never appears.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const { accountId } = oidc.session;
      const clientId = oidc.client.clientId;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(clientId);
      let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (grant && (grant.accountId !== accountId || grant.clientId !== clientId)) {
        grant = undefined;
      }
      grant ||= new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' ') || 'openid');
      const claims = [...oidc.requestParamClaims];
      if (claims.length) grant.addOIDCClaims(claims);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = page(`Sign out – ${council.title} (test)`, `
<h1>Sign out of ${escapeHtml(council.title)} (test identity provider)?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page(`Signed out – ${council.title} (test)`, `
<h1>You have signed out of ${escapeHtml(council.title)} (test identity provider)</h1>`);
        },
      },
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async renderError(ctx, out, error) {
      const detail = (error?.statusCode ?? error?.status ?? 500) >= 500 ? (error?.stack ?? error) : '';
      log(council.key, 'error page:', JSON.stringify(out), detail);
      ctx.type = 'html';
      ctx.body = page(`Error – ${council.title} (test)`, `
<h1>Something went wrong</h1>
${Object.entries(out).map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`).join('\n')}`);
    },
    ttl: {
      // oidc-provider's defaults, spelled out (its default functions log a notice each call),
      // except the provider's own session: an hour.
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      BackchannelAuthenticationRequest: 10 * 60,
      ClientCredentials: 10 * 60,
      DeviceCode: 10 * 60,
      Grant: 14 * 24 * 60 * 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      PreAuthorizedCode: 10 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
      Session: 60 * 60,
    },
  });

  for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error',
    'userinfo.error', 'introspection.error', 'revocation.error', 'discovery.error', 'jwks.error']) {
    provider.on(event, (ctx, error) => {
      log(council.key, event, error?.error ?? '', error?.error_description ?? error?.message ?? error);
    });
  }

  const oidcCallback = provider.callback();

  function loginPage(uid, details, { login = '', error } = {}) {
    const client = details.params.client_id;
    return page(`Sign in – ${council.title} (test)`, `
<h1>Sign in to ${escapeHtml(council.title)}</h1>
<p>Test identity provider for loopback tests. Signing in to <strong>${escapeHtml(client)}</strong>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="login">Username</label>
<input id="login" name="login" value="${escapeHtml(login)}" autocapitalize="none" spellcheck="false" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort">
<button type="submit">Cancel</button>
</form>`);
  }

  // Accepts "assessor" or "assessor@<this council's domain>".
  function authenticate(login, password) {
    let id = String(login ?? '').trim().toLowerCase();
    const suffix = `@${council.domain}`;
    if (id.endsWith(suffix)) id = id.slice(0, -suffix.length);
    const account = accounts.get(id);
    if (!account || password !== PASSWORD) return undefined;
    return { id, account };
  }

  async function interaction(req, res, uid, action) {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof oidcErrors.SessionNotFound) {
        send(res, 400, page('Sign-in expired', `
<h1>This sign-in has expired or was already used</h1>
<p>Go back to the application and start again.</p>`));
        return;
      }
      throw error;
    }
    if (details.uid !== uid) {
      send(res, 400, page('Sign-in mismatch', '<h1>This sign-in does not match the current one</h1>'));
      return;
    }

    if (action === undefined && req.method === 'GET') {
      if (details.prompt.name === 'login') {
        send(res, 200, loginPage(uid, details));
        return;
      }
      if (details.prompt.name === 'consent') {
        // Normally unreachable (loadExistingGrant grants), kept as a safety net.
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
        const missing = details.prompt.details;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
          mergeWithLastSubmission: true,
        });
        return;
      }
      send(res, 400, page('Unsupported prompt', `<h1>Unsupported prompt ${escapeHtml(details.prompt.name)}</h1>`));
      return;
    }

    if (action === 'login' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const found = authenticate(form.get('login'), form.get('password'));
      if (!found) {
        send(res, 200, loginPage(uid, details, {
          login: form.get('login') ?? '',
          error: 'Wrong username or password',
        }));
        return;
      }
      log(council.key, `signed in ${found.id} for ${details.params.client_id}`);
      await provider.interactionFinished(req, res, {
        login: { accountId: found.id, ...authenticationMethods(found.account) },
      }, { mergeWithLastSubmission: false });
      return;
    }

    if (action === 'abort' && req.method === 'POST') {
      await readBody(req);
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      }, { mergeWithLastSubmission: false });
      return;
    }

    send(res, 405, page('Method not allowed', '<h1>Method not allowed</h1>'));
  }

  async function testControl(req, res, path) {
    if (req.method !== 'POST') {
      send(res, 405, 'POST only\n', 'text/plain; charset=utf-8');
      return;
    }
    if (path === '/__test/reset') {
      await readBody(req);
      accounts = defaultAccounts();
      log(council.key, 'accounts reset');
      send(res, 204);
      return;
    }
    const match = /^\/__test\/accounts\/([^/]+)$/.exec(path);
    if (!match) {
      send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      return;
    }
    const id = decodeURIComponent(match[1]);
    const account = accounts.get(id);
    if (!account) {
      send(res, 404, `no account ${id}\n`, 'text/plain; charset=utf-8');
      return;
    }
    let change;
    try {
      const text = await readBody(req);
      change = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      send(res, 400, 'body must be JSON\n', 'text/plain; charset=utf-8');
      return;
    }
    if (change === null || typeof change !== 'object' || Array.isArray(change)
      || ('groups' in change && !(Array.isArray(change.groups) && change.groups.every((g) => typeof g === 'string')))
      || ('mfa' in change && typeof change.mfa !== 'boolean')) {
      send(res, 400, 'expected {"groups": [strings], "mfa": boolean}, either optional\n', 'text/plain; charset=utf-8');
      return;
    }
    if ('groups' in change) account.groups = [...change.groups];
    if ('mfa' in change) account.mfa = change.mfa;
    log(council.key, `account ${id} now`, JSON.stringify(account));
    send(res, 204);
  }

  async function handle(req, res) {
    const path = new URL(req.url, issuer).pathname;
    try {
      if (path.startsWith('/__test/')) {
        await testControl(req, res, path);
        return;
      }
      const match = /^\/interaction\/([^/]+)(?:\/(login|abort))?\/?$/.exec(path);
      if (match) {
        await interaction(req, res, match[1], match[2]);
        return;
      }
    } catch (error) {
      log(council.key, 'handler error', error?.stack ?? error);
      if (!res.headersSent) {
        send(res, error?.status ?? 500, page('Error', `<h1>${escapeHtml(error?.message ?? 'Error')}</h1>`));
      } else {
        res.end();
      }
      return;
    }
    oidcCallback(req, res);
  }

  return { provider, handle };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

const servers = [];
let stopping = false;

function stop(reason, code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  log(`stopping (${reason})`);
  for (const server of servers) {
    server.close();
    server.closeAllConnections?.();
  }
  // Don't wait on anything lingering (the process also ends sooner if nothing is left).
  setTimeout(() => process.exit(code), 200).unref();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => stop('SIGHUP'));

try {
  const issuers = {};
  for (const council of COUNCILS) {
    let handle = (req, res) => send(res, 503, 'starting\n', 'text/plain; charset=utf-8');
    const server = http.createServer((req, res) => handle(req, res));
    servers.push(server);
    const port = await listen(server, parsePort(council.port, `OIDC_${council.key.toUpperCase()}_PORT`));
    const issuer = `http://127.0.0.1:${port}`;
    ({ handle } = createCouncil(council, issuer));
    issuers[council.key] = issuer;
    log(`${council.key} provider at ${issuer}`);
  }
  log('redirect_uris:', REDIRECT_URIS.join(' '));
  log('post_logout_redirect_uris:', POST_LOGOUT_REDIRECT_URIS.join(' '));
  process.stdout.write(`${JSON.stringify(issuers)}\n`);
} catch (error) {
  log('failed to start:', error?.stack ?? error);
  stop('start-up failure', 1);
}

if (!stopping && process.env.OIDC_KEEP_RUNNING !== '1') {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
}
