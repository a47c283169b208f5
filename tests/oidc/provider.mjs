// A real OpenID provider (the npm package oidc-provider) for the single sign-on tests, on loopback.
// Environment: OIDC_PROVIDER_DIR (where scripts/test.sh installed the package), OIDC_PORT, OIDC_REDIRECT_URI
// (the app's callback), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. Prints "oidc-provider listening on <issuer>" when ready.
// Users (password "pass-<name>"): ada (cp-admins), rita (cp-reviewers), rick (cp-reviewers), nora (nobody).
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { default: Provider } = await import(pathToFileURL(join(process.env.OIDC_PROVIDER_DIR, 'node_modules/oidc-provider/lib/index.js')).href);
const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

const users = {
  ada: { name: 'Ada Admin', groups: ['cp-admins'] },
  rita: { name: 'Rita Reviewer', groups: ['cp-reviewers'] },
  rick: { name: 'Rick Reviewer', groups: ['cp-reviewers'] },
  nora: { name: 'Nora Nobody', groups: ['nobody'] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
  // The groups go into the ID token, as Entra ID and Keycloak put them there.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => users[id] && {
    accountId: id,
    claims: async () => ({ sub: id, name: users[id].name, preferred_username: id, email: `${id}@example.test`, email_verified: true, groups: users[id].groups }),
  },
  // A first-party client: consent is granted without asking.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email groups');
    await grant.save();
    ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId, grant.jti);
    return grant;
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['controlplane-test-oidc-provider'] },
});

const page = (uid, error) => `<!doctype html><html><body><h1>Test IdP sign-in</h1>${error ? `<p id="idp-error">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>User <input id="idp-user" name="user"></label>
<label>Password <input id="idp-password" name="password" type="password"></label>
<button id="idp-sign-in" type="submit">Sign in</button></form></body></html>`;

const readForm = (req) => new Promise((resolve) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
});

const callback = provider.callback();
http.createServer(async (req, res) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url.split('?')[0]);
  if (!match) return callback(req, res);
  try {
    await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html');
      return res.end(page(match[1]));
    }
    const form = await readForm(req);
    const user = form.get('user');
    if (!users[user] || form.get('password') !== `pass-${user}`) {
      res.setHeader('content-type', 'text/html');
      return res.end(page(match[1], 'Wrong user or password.'));
    }
    await provider.interactionFinished(req, res, { login: { accountId: user } }, { mergeWithLastSubmission: false });
  } catch (e) {
    res.statusCode = 400;
    res.end(String(e));
  }
}).listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
