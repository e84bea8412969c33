// An independent, OpenID Certified provider (npm `oidc-provider`) set up like ID-porten: the
// acr values idporten-loa-low/substantial/high, a `pid` claim, PKCE required, RFC 9207 `iss` in
// the authorization response, RP-initiated logout. Ranselpost's server tests log in against it
// with the production client code.
//
// It is also the hostile provider of the attack tests: POST /test/next sets who logs in next,
// at which level, how long ago they authenticated (`age`), and how the next token response is
// tampered with (re-signed with another key,
// `alg: none`, wrong issuer, wrong audience, expired, wrong nonce).
//
// Configuration (environment): REDIRECT_URI, POST_LOGOUT_REDIRECT_URI, BACKCHANNEL_LOGOUT_URI, CLIENT_SECRET,
// PKJWT_PUBLIC_KEY_PEM (the public key of the private_key_jwt client), PORT (0: any).
// Prints `READY <issuer>` when it listens.
import http from "node:http";
import crypto from "node:crypto";
import Provider from "oidc-provider";
import * as jose from "jose";

const env = (name, fallback) => process.env[name] ?? fallback;
const redirectUri = env("REDIRECT_URI");
const postLogout = env("POST_LOGOUT_REDIRECT_URI");
const clientSecret = env("CLIENT_SECRET");
const pkjwtPem = env("PKJWT_PUBLIC_KEY_PEM");
const backchannelUri = env("BACKCHANNEL_LOGOUT_URI");

const signing = await jose.generateKeyPair("RS256", { extractable: true });
const other = await jose.generateKeyPair("RS256", { extractable: true });
const signingJwk = { ...(await jose.exportJWK(signing.privateKey)), kid: "interop-1", alg: "RS256", use: "sig" };

// What the next login and token response look like; reset after each use.
let next = { account: "12848510058", acr: "idporten-loa-substantial", tamper: null };

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(env("PORT", "0")), "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const clients = [
  {
    client_id: "ranselpost",
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogout],
    ...(backchannelUri ? { backchannel_logout_uri: backchannelUri, backchannel_logout_session_required: true } : {}),
    token_endpoint_auth_method: "client_secret_basic",
    // Like ID-porten: every ID token says when the person authenticated.
    require_auth_time: true,
    response_types: ["code"],
    grant_types: ["authorization_code"],
  },
  {
    client_id: "ranselpost-post",
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogout],
    token_endpoint_auth_method: "client_secret_post",
    response_types: ["code"],
    grant_types: ["authorization_code"],
  },
];
if (pkjwtPem) {
  const jwk = crypto.createPublicKey(pkjwtPem).export({ format: "jwk" });
  clients.push({
    client_id: "ranselpost-pkjwt",
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogout],
    token_endpoint_auth_method: "private_key_jwt",
    token_endpoint_auth_signing_alg: "RS256",
    jwks: { keys: [{ ...jwk, alg: "RS256", use: "sig" }] },
    response_types: ["code"],
    grant_types: ["authorization_code"],
  });
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingJwk] },
  acrValues: ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"],
  claims: { openid: ["sub", "pid"], profile: ["name"], acr: null, sid: null, amr: null },
  conformIdTokenClaims: false,
  cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
    backchannelLogout: { enabled: true },
  },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, pid: id, name: `Person ${id}` }),
  }),
  // Consent is implied, as with ID-porten for a registered public-sector client.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile");
    grant.addOIDCClaims(["pid", "name", "acr", "sid", "amr"]);
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // Its SSRF guard refuses loopback addresses, which is exactly where the app under test
  // listens for back-channel logout; this provider only ever runs on loopback in tests.
  fetch: (url, options) => {
    delete options.dispatcher;
    return globalThis.fetch(url, options);
  },
});
provider.proxy = false;

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function tamper(idToken, mode) {
  const [, payloadPart] = idToken.split(".");
  const payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString());
  const now = Math.floor(Date.now() / 1000);
  const resign = (claims, key = signing.privateKey) =>
    new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "interop-1" }).sign(key);
  switch (mode) {
    case "other-key":
      return resign(payload, other.privateKey);
    case "alg-none":
      return `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
    case "wrong-iss":
      return resign({ ...payload, iss: "http://127.0.0.1:1/somebody-else" });
    case "wrong-aud":
      return resign({ ...payload, aud: "another-client" });
    case "expired":
      return resign({ ...payload, iat: now - 3600, exp: now - 1800 });
    case "wrong-nonce":
      return resign({ ...payload, nonce: "not-the-nonce-of-this-login" });
    default:
      throw new Error(`unknown tamper mode ${mode}`);
  }
}

// Tamper with the token response when asked to.
provider.use(async (ctx, nextMiddleware) => {
  await nextMiddleware();
  if (ctx.path === "/token" && ctx.status === 200 && next.tamper && ctx.body?.id_token) {
    const mode = next.tamper;
    next.tamper = null;
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, mode) };
  }
});

// The login "page": finishes at once as the person set by /test/next.
provider.use(async (ctx, nextMiddleware) => {
  if (ctx.path.startsWith("/interaction/")) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.prompt.name === "login") {
      // `age` (seconds) makes the provider answer with an older authentication than now: a
      // provider that ignores prompt=login and answers from its single sign-on session.
      const ts = Math.floor(Date.now() / 1000) - (next.age ?? 0);
      next.age = 0;
      const result = { login: { accountId: next.account, acr: next.acr, amr: ["TestID"], ts } };
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    } else {
      await provider.interactionFinished(ctx.req, ctx.res, {}, { mergeWithLastSubmission: true });
    }
    ctx.respond = false;
    return;
  }
  if (ctx.path === "/test/next" && ctx.method === "POST") {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    next = { ...next, ...JSON.parse(Buffer.concat(chunks).toString() || "{}") };
    ctx.body = { ok: true };
    return;
  }
  await nextMiddleware();
});

provider.on("backchannel.error", (_ctx, err) => console.error(`backchannel.error: ${err.message}`));
provider.on("end_session.error", (_ctx, err) => console.error(`end_session.error: ${err.message}`));
server.on("request", provider.callback());
console.log(`READY ${issuer}`);
