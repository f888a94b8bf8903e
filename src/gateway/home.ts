// Home routing (SPEC §2.16): FN_HOME_FUNCTION, FN_HOME_REDIRECT, root `home`, then the built-in landing page.
// An invalid value at any step is skipped with one warning and evaluation continues.
import type { Catalog } from '../discovery/types.js';
import type { Settings } from '../config/index.js';

export type HomeTarget = { kind: 'route'; path: string } | { kind: 'redirect'; location: string };

const warned = new Set<string>();
function warnOnce(warn: (m: string) => void, m: string): void {
  if (warned.has(m)) return;
  warned.add(m);
  warn(m);
}

function validRoute(v: string): boolean {
  return v.startsWith('/') && v !== '/' && !v.startsWith('//') && !/^[a-z]+:/i.test(v);
}

function validRedirect(v: string): boolean {
  return (v.startsWith('/') && !v.startsWith('//')) || /^https?:\/\/[^\s]+$/i.test(v);
}

export function homeTarget(settings: Settings, catalog: Catalog, warn: (m: string) => void): HomeTarget | null {
  if (settings.homeFunction) {
    if (validRoute(settings.homeFunction)) return { kind: 'route', path: settings.homeFunction.split('?')[0]! };
    warnOnce(warn, `FN_HOME_FUNCTION: invalid value ${JSON.stringify(settings.homeFunction)}; ignored`);
  }
  if (settings.homeRedirect) {
    if (validRedirect(settings.homeRedirect)) return { kind: 'redirect', location: settings.homeRedirect };
    warnOnce(warn, `FN_HOME_REDIRECT: invalid value ${JSON.stringify(settings.homeRedirect)}; ignored`);
  }
  const h = catalog.home;
  if (h?.route) {
    if (validRoute(h.route)) return { kind: 'route', path: h.route };
    warnOnce(warn, `fn.config.json: home route ${JSON.stringify(h.route)} is invalid; ignored`);
  }
  if (h?.redirect) {
    if (validRedirect(h.redirect)) return { kind: 'redirect', location: h.redirect };
    warnOnce(warn, `fn.config.json: home redirect ${JSON.stringify(h.redirect)} is invalid; ignored`);
  }
  return null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function landingPage(catalog: Catalog): string {
  const rows = [...catalog.routes]
    .sort((a, b) => a.route.localeCompare(b.route))
    .map((r) => `<li><code>${esc(r.methods.join(' '))}</code> <a href="${esc(r.route)}">${esc(r.route)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>fastfn</title></head>
<body>
<h1>fastfn</h1>
<p><a href="/_fn/docs">API docs</a> · <a href="/_fn/openapi.json">OpenAPI</a> · <a href="/_fn/health">health</a> · <a href="/console">console</a></p>
<h2>Routes</h2>
<ul>
${rows}
</ul>
</body></html>
`;
}
