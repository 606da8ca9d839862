import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type restify from 'restify';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Translator } from '../i18n/create-i18n.js';
import { SUPPORTED_LOCALES, toSupportedLocale } from '../i18n/supported-locales.js';
import type { DirectLineChannel } from '../channels/directline/directline-channel.js';
import { DirectLineError } from '../channels/directline/directline-error.js';
import { corsPreHandler } from './directline-cors.js';
import { OriginPolicy } from './directline-origin-policy.js';
import { loadAsset, type StaticAsset } from './widget-assets.js';
import { clientAddress } from './client-address.js';
import { memoryRateLimits, type RateLimits } from '../storage/rate-limits.js';

/** Where the widget's files are. */
export interface WidgetRouteOptions {
  /** Repository root: `public/` and `node_modules/botframework-webchat/` are read from here. */
  readonly rootDir: string;
  /** Where the token endpoint's rate limit counts (default: this process). */
  readonly limits?: RateLimits;
}

/** Empty `<style>` Web Chat injects without a nonce; its hash must be allowed or the transcript layout breaks. */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

const tokenRequestSchema = z
  .object({
    locale: z.string().max(35).optional(),
    previousToken: z.string().max(4096).optional(),
  })
  .optional()
  .transform((body) => body ?? {});

/**
 * The seller-facing web widget: the demo page `/`, the embed snippet `/embed.js`, the Web Chat bundle from the npm
 * package, the page's UI strings (`locales/<lng>/widget.json`) and the rate-limited page token endpoint.
 */
export function registerWidgetRoutes(
  server: restify.Server,
  channel: DirectLineChannel,
  config: Config,
  translator: Translator,
  logger: Logger,
  options: WidgetRouteOptions,
): void {
  const publicDir = join(options.rootDir, 'public');
  const webchatDir = join(options.rootDir, 'node_modules', 'botframework-webchat');
  const webchatVersion = (JSON.parse(readFileSync(join(webchatDir, 'package.json'), 'utf8')) as { version: string }).version;
  const bundle = loadAsset(join(webchatDir, 'dist', 'webchat.js'), 'application/javascript; charset=utf-8', webchatVersion);
  const embed = loadAsset(join(publicDir, 'embed.js'), 'application/javascript; charset=utf-8', 'embed');
  const pageCss = loadAsset(join(publicDir, 'widget', 'page.css'), 'text/css; charset=utf-8', 'css');
  const pageJs = loadAsset(join(publicDir, 'widget', 'page.js'), 'application/javascript; charset=utf-8', 'page');
  const template = readFileSync(join(publicDir, 'index.html'), 'utf8');
  const limiter = (options.limits ?? memoryRateLimits()).tokenBucket('widget-token', config.TOKEN_RATE_LIMIT_PER_MINUTE);

  server.pre(corsPreHandler(new OriginPolicy(config.ALLOWED_ORIGINS), ['/api/widget/']));

  server.get('/', async (req, res) => {
    const lng = toSupportedLocale(typeof req.query?.lang === 'string' ? req.query.lang : undefined, config.DEFAULT_LOCALE);
    const nonce = randomBytes(16).toString('base64');
    const strings = widgetStrings(translator, lng);
    const html = renderPage(template, { nonce, lng, strings });
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': pageCsp(nonce, req.headers.host),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(html);
  });

  // Browsers ask for it on every page; an empty answer keeps consoles free of 404s.
  server.get('/favicon.ico', async (_req, res) => {
    res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
    res.end();
  });
  server.get('/embed.js', async (req, res) => sendAsset(req, res, embed, 'public, max-age=300'));
  server.get('/widget/page.js', async (req, res) => sendAsset(req, res, pageJs, 'public, max-age=300'));
  server.get('/widget/page.css', async (req, res) => sendAsset(req, res, pageCss, 'public, max-age=300'));
  server.get('/webchat/webchat.js', async (req, res) => sendAsset(req, res, bundle, 'public, max-age=86400'));

  server.get('/api/widget/strings/:lng', async (req, res) => {
    const lng = String(req.params?.lng ?? '');
    if (!(SUPPORTED_LOCALES as readonly string[]).includes(lng)) {
      res.send(404, { code: 'LOCALE_NOT_FOUND', message: `supported locales: ${SUPPORTED_LOCALES.join(', ')}` });
      return;
    }
    res.header('Cache-Control', 'public, max-age=300');
    res.send(200, widgetStrings(translator, toSupportedLocale(lng)));
  });

  server.post('/api/widget/token', async (req, res) => {
    const wait = await limiter.take(clientAddress(req, config.TRUSTED_PROXY_HOPS));
    if (wait > 0) {
      res.header('Retry-After', String(Math.ceil(wait / 1000)));
      res.send(429, { code: 'TOO_MANY_REQUESTS', message: 'too many token requests from this client; retry later' });
      return;
    }
    const parsed = tokenRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      res.send(400, { code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'invalid body' });
      return;
    }
    const locale = toSupportedLocale(parsed.data.locale, config.DEFAULT_LOCALE);
    try {
      res.header('Cache-Control', 'no-store');
      res.send(200, await channel.issueWidgetToken(locale, parsed.data.previousToken));
    } catch (error) {
      if (error instanceof DirectLineError) {
        // An unusable previous token is not the page's fault: start a new conversation instead.
        res.send(200, await channel.issueWidgetToken(locale, undefined));
        return;
      }
      logger.error({ err: error }, 'widget token: unexpected error');
      res.send(500, { code: 'INTERNAL', message: 'unexpected server error' });
    }
  });
}

/** The `widget` namespace for one locale (what the page and the snippet display). */
function widgetStrings(translator: Translator, lng: (typeof SUPPORTED_LOCALES)[number]): Record<string, unknown> {
  return (translator.i18n.getResourceBundle(lng, 'widget') as Record<string, unknown> | undefined) ?? {};
}

function pageCsp(nonce: string, host: string | undefined): string {
  // The stream URL is on this same host; 'self' covers ws(s) there in current browsers, listed for older ones.
  const sockets = host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? `ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}' ${EMPTY_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    `connect-src 'self' ${sockets}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Fills the page template; every value is escaped for its context (HTML text, attribute, JSON in a script). */
function renderPage(template: string, values: { nonce: string; lng: string; strings: Record<string, unknown> }): string {
  const str = (key: string): string => (typeof values.strings[key] === 'string' ? (values.strings[key] as string) : '');
  const names = (values.strings.language_names ?? {}) as Record<string, string>;
  const options = SUPPORTED_LOCALES.map(
    (lng) => `<option value="${lng}"${lng === values.lng ? ' selected' : ''}>${escapeHtml(names[lng] ?? lng)}</option>`,
  ).join('');
  const replacements: Record<string, string> = {
    NONCE: escapeHtml(values.nonce),
    LANG: escapeHtml(values.lng),
    PAGE_TITLE: escapeHtml(str('page_title')),
    HEADER_TITLE: escapeHtml(str('header_title')),
    HEADER_SUBTITLE: escapeHtml(str('header_subtitle')),
    LANGUAGE_LABEL: escapeHtml(str('language_label')),
    LANGUAGE_OPTIONS: options,
    NEW_CONVERSATION: escapeHtml(str('new_conversation')),
    CONNECTING: escapeHtml(str('connecting')),
  };
  return template.replace(/%%([A-Z_]+)%%/g, (whole, name: string) => replacements[name] ?? whole);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function sendAsset(req: restify.Request, res: restify.Response, asset: StaticAsset, cacheControl: string): Promise<void> {
  const headers: Record<string, string> = {
    'Content-Type': asset.contentType,
    'Cache-Control': cacheControl,
    ETag: asset.etag,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
  };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    const body = await asset.gzipped();
    res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
    res.end(body);
    return;
  }
  const body = asset.body();
  res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}
