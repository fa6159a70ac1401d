import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.js';
import { CSRF_FIELD, DESK_LANG_COOKIE, type DeskSession } from './desk-session.js';

/** The desk's languages: Chinese first, English on request. */
export type DeskLang = 'zh' | 'en';

/** A text in both languages. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/**
 * The desk pages' policy: scripts only from this origin (/desk/assets/…), the live board's
 * EventSource to this origin, the one inline style sheet, forms posting back here, never framed.
 */
export const DESK_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; " +
  "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The navigation: path, label and the key H6's and this module's pages pass as `active`. */
export const DESK_NAV = [
  { key: 'request', href: '/desk/request', zh: '抽取', en: 'Request' },
  { key: 'tasks', href: '/desk/tasks', zh: '任务', en: 'Tasks' },
  { key: 'experts', href: '/desk/experts', zh: '专家库', en: 'Pool' },
  { key: 'reviews', href: '/desk/reviews', zh: '复核', en: 'Reviews' },
  { key: 'lists', href: '/desk/lists', zh: '名单', en: 'Lists' },
  { key: 'reports', href: '/desk/reports', zh: '报表', en: 'Reports' },
  { key: 'keys', href: '/desk/keys', zh: '密钥', en: 'Keys' },
] as const;
export type DeskNavKey = (typeof DESK_NAV)[number]['key'];

const ROLE_LABELS: Record<string, Bilingual> = {
  admin: { zh: '管理员', en: 'admin' },
  dispatcher: { zh: '调度员', en: 'dispatcher' },
  auditor: { zh: '审计员', en: 'auditor' },
  viewer: { zh: '查看者', en: 'viewer' },
};

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * escapeHtml('<b>"x"</b>'); // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

/**
 * The page's language: `?lang=zh|en` (remembered in a cookie), else the cookie, else Chinese.
 *
 * @example
 * const lang = deskLang(c); // 'zh'
 */
export function deskLang(c: Context<AppEnv>): DeskLang {
  const asked = c.req.query('lang');
  if (asked === 'zh' || asked === 'en') {
    setCookie(c, DESK_LANG_COOKIE, asked, { path: '/desk', sameSite: 'Strict', httpOnly: true });
    return asked;
  }
  return getCookie(c, DESK_LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/**
 * Picks the text of the page's language.
 *
 * @example
 * t('en', { zh: '抽取', en: 'Request' }); // 'Request'
 */
export function t(lang: DeskLang, text: Bilingual): string {
  return lang === 'en' ? text.en : text.zh;
}

/**
 * The hidden CSRF field every desk form must carry (requireDeskSession checks it on POST).
 *
 * @example
 * `<form method="post">${csrfField(session)}…</form>`
 */
export function csrfField(session: DeskSession): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(session.csrf)}">`;
}

const STYLE =
  ':root{--ink:#1a1a1a;--muted:#555;--line:#d0d4da;--accent:#0b5cad;--warn:#a4000f;--ok:#116b2e;--bg:#f6f7f9}' +
  '*{box-sizing:border-box}body{margin:0;font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg);line-height:1.55}' +
  'header.desk{background:#12355b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center}' +
  'header.desk a{color:#fff}header.desk .brand{font-weight:700;font-size:1.1rem;text-decoration:none}' +
  'nav.desk ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem}' +
  'nav.desk a{display:block;padding:.35rem .6rem;border-radius:.3rem;text-decoration:none}nav.desk a[aria-current=page]{background:#fff;color:#12355b}' +
  '.who{margin-left:auto;font-size:.9rem}.who form{display:inline}.who button{background:none;border:1px solid #fff;color:#fff;padding:.15rem .5rem;border-radius:.3rem;cursor:pointer}' +
  'main{max-width:76rem;margin:0 auto;padding:1rem}h1{font-size:1.45rem;margin:.3rem 0 .8rem}h2{font-size:1.15rem;margin:1.2rem 0 .5rem}' +
  'table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#eef1f5}' +
  '.scroll{overflow-x:auto}label{display:block;font-weight:600;margin:.5rem 0 .2rem}' +
  'input,select,textarea,button{font:inherit}input[type=text],input[type=number],input[type=password],input[type=date],input[type=datetime-local],select,textarea{width:100%;padding:.4rem;border:1px solid #8a8f96;border-radius:.3rem;background:#fff}' +
  'button,.button{background:var(--accent);color:#fff;border:0;border-radius:.3rem;padding:.5rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}button.danger{background:var(--warn)}' +
  '.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.2rem 1rem}fieldset{border:1px solid var(--line);border-radius:.4rem;background:#fff;margin:.6rem 0}' +
  '.hint{color:var(--muted);font-size:.9rem;margin:.1rem 0}.notice{padding:.5rem .8rem;border-left:4px solid var(--accent);background:#fff;margin:.6rem 0}.notice.error{border-color:var(--warn)}' +
  'dl.grid{margin:.4rem 0}dl.grid dt{color:var(--muted);font-size:.9rem}dl.grid dd{margin:0 0 .3rem}.flag{color:var(--warn);font-weight:700}.ok{color:var(--ok)}.lang{font-size:.85rem}' +
  '@media (max-width:40rem){header.desk{padding:.5rem}.who{margin-left:0;width:100%}main{padding:.6rem}th,td{padding:.25rem}}' +
  '@media print{header.desk,.noprint{display:none!important}body{background:#fff}main{max-width:none;padding:0}}';

/** What a desk page gives the layout. */
export interface DeskPageOptions {
  readonly title: Bilingual;
  /** The page's content (already escaped HTML). */
  readonly body: string;
  readonly active?: DeskNavKey | undefined;
  /** Script files under /desk/assets/ (inline scripts are blocked by DESK_CSP). */
  readonly scripts?: readonly string[] | undefined;
}

/**
 * The shell of every desk page: header with the navigation, the signed-in authority and role,
 * the language toggle and sign-out; then the page. Pure: the caller gives the session and language.
 *
 * @example
 * deskLayout(session, 'zh', { title: { zh: '任务', en: 'Task' }, body: '<p>…</p>', active: 'tasks' });
 */
export function deskLayout(
  session: DeskSession | undefined,
  lang: DeskLang,
  options: DeskPageOptions,
): string {
  const title = t(lang, options.title);
  const nav =
    session === undefined
      ? ''
      : `<nav class="desk" aria-label="${lang === 'en' ? 'Desk' : '调度台导航'}"><ul>${DESK_NAV.map(
          (item) =>
            `<li><a href="${item.href}"${item.key === options.active ? ' aria-current="page"' : ''}>${escapeHtml(
              lang === 'en' ? item.en : item.zh,
            )}</a></li>`,
        ).join('')}</ul></nav>`;
  const other = lang === 'en' ? 'zh' : 'en';
  const toggle = `<a class="lang" href="?lang=${other}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${other === 'en' ? 'English' : '中文'}</a>`;
  const who =
    session === undefined
      ? `<div class="who">${toggle}</div>`
      : `<div class="who"><span id="desk-who">${escapeHtml(session.authorityName)} · ${escapeHtml(
          t(
            lang,
            ROLE_LABELS[session.principal.role] ?? {
              zh: session.principal.role,
              en: session.principal.role,
            },
          ),
        )}</span> · ${toggle} · <form method="post" action="/desk/logout">${csrfField(session)}<button type="submit">${lang === 'en' ? 'Sign out' : '退出'}</button></form></div>`;
  const scripts = (options.scripts ?? [])
    .map((src) => `<script src="${escapeHtml(src)}" defer></script>`)
    .join('');
  return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · ${lang === 'en' ? 'Dispatch desk' : '专家抽取调度台'}</title><style>${STYLE}</style>${scripts}</head><body><header class="desk"><a class="brand" href="/desk">${lang === 'en' ? 'Dispatch desk' : '专家抽取调度台'}</a>${nav}${who}</header><main id="main">${options.body}</main></body></html>`;
}

/**
 * Answers with a desk page: the layout, DESK_CSP and no-store.
 *
 * @example
 * return renderDesk(c, session, { title, body, active: 'request' });
 */
export function renderDesk(
  c: Context<AppEnv>,
  session: DeskSession | undefined,
  options: DeskPageOptions,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 422 = 200,
): Response {
  const lang = deskLang(c);
  c.header('Content-Security-Policy', DESK_CSP);
  c.header('Cache-Control', 'no-store');
  return c.html(deskLayout(session, lang, options), status);
}
