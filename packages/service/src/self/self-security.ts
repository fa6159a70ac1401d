/**
 * The OpenAPI security scheme of the expert's own session (issue 15): the bearer token
 * `POST /v1/self/session` returns (`eds_…`). API keys (`bearerAuth`) are never accepted there,
 * and a self token is never accepted where an API key is.
 */
export const SELF_SESSION_SCHEME = 'selfSession';

/** The cookie the same session is kept in for the /expert pages (HttpOnly, SameSite=Strict). */
export const SELF_COOKIE_SCHEME = 'selfSessionCookie';

/**
 * `security` of a /v1/self route that needs the session: the bearer token.
 *
 * @example
 * createRoute({ …, security: SELF_SECURITY });
 */
export const SELF_SECURITY = [{ [SELF_SESSION_SCHEME]: [] }];

/** `security` of an /expert page that needs the session cookie. */
export const SELF_COOKIE_SECURITY = [{ [SELF_COOKIE_SCHEME]: [] }];

/** The two schemes, as registered in the document's components (app.ts / openapi-document.ts). */
export const SELF_SECURITY_SCHEMES = {
  [SELF_SESSION_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    description:
      "The expert's own session token from POST /v1/self/session: Authorization: Bearer eds_…; " +
      'API keys are refused. / 专家本人会话令牌（验证码登录后获得）。',
  },
  [SELF_COOKIE_SCHEME]: {
    type: 'apiKey',
    in: 'cookie',
    name: 'expert_session',
    description:
      'The same session as an HttpOnly, SameSite=Strict cookie, set by POST /v1/self/session and ' +
      'the /expert sign-in form; used by the /expert pages only. / 专家页面会话 Cookie。',
  },
} as const;
