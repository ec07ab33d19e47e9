import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * The built client (client/dist): its files, each in the encodings the build wrote beside it
 * (`x.js.br`, `x.js.gz`, see client/scripts/precompress.ts), and index.html for every other path
 * outside /api, /socket.io and /metrics, since the client routes itself.
 *
 * Files under /assets carry a content hash in their name, so a browser may keep them for a year
 * without asking again; everything else (index.html, a service worker, the manifest, icons) is
 * `no-cache`: revalidated on every use (a 304 through ETag / Last-Modified), so a deploy is seen
 * at once.
 */

export const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
export type Encoding = (typeof ENCODINGS)[number]['name'];

interface Asset {
  file: string;
  /** The file's extension, for its Content-Type whichever encoding is sent. */
  ext: string;
  immutable: boolean;
  variants: Partial<Record<Encoding, string>>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_CLIENT = /^\/(api|socket\.io|metrics)(\/|$)/;
const VARIANT = /\.(br|gz)$/;

/**
 * The encoding to send: the one the request's Accept-Encoding weighs highest among `available`,
 * brotli before gzip when weighed alike; null means the file as it is. `q=0` refuses a coding.
 */
export function pickEncoding(acceptEncoding: string | undefined, available: readonly Encoding[]): Encoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(coding, Number.isFinite(weight) ? weight : 0);
  }
  let best: Encoding | null = null;
  let bestWeight = 0;
  for (const { name } of ENCODINGS) {
    if (!available.includes(name)) continue;
    const weight = weights.get(name) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [name, weight];
  }
  return best;
}

/**
 * Every file of the build by its URL path. Read once at start: the build does not change under
 * a running server (a deploy restarts it), and a path can only ever name a file listed here.
 */
function listAssets(dist: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  const present = new Set(files);
  for (const file of files) {
    if (VARIANT.test(file) && present.has(file.replace(VARIANT, ''))) continue;
    const urlPath = `/${relative(dist, file).split(sep).join('/')}`;
    // Dot files (a build tool's .vite/ folder, an editor's leftovers) are never the client's.
    if (urlPath.includes('/.')) continue;
    const variants: Asset['variants'] = {};
    for (const { name, suffix } of ENCODINGS) if (present.has(file + suffix)) variants[name] = file + suffix;
    assets.set(urlPath, { file, ext: extname(file), immutable: urlPath.startsWith('/assets/'), variants });
  }
  return assets;
}

function send(req: Request, res: Response, next: NextFunction, asset: Asset): void {
  const available = Object.keys(asset.variants) as Encoding[];
  const encoding = pickEncoding(req.get('accept-encoding'), available);
  res.setHeader('Cache-Control', asset.immutable ? IMMUTABLE : 'no-cache');
  // Whatever is sent, a cache must key it by Accept-Encoding once other encodings exist.
  if (available.length) res.vary('Accept-Encoding');
  res.type(asset.ext);
  if (encoding) res.setHeader('Content-Encoding', encoding);
  // send (through sendFile) answers HEAD, ranges and conditional requests (ETag, Last-Modified)
  // from the file it is given, so each encoding has its own validators and its own length.
  res.sendFile(
    encoding ? asset.variants[encoding]! : asset.file,
    { cacheControl: false, dotfiles: 'allow' },
    (err?: Error & { status?: number }) => {
      if (!err || res.headersSent) return;
      // An error page is not the compressed file: it must not claim to be.
      res.removeHeader('Content-Encoding');
      res.removeHeader('Content-Type');
      res.removeHeader('Cache-Control');
      next(err);
    },
  );
}

/** Serves the built client from `dist` on `app`, if it has been built. */
export function serveClientAssets(app: { use(handler: RequestHandler): unknown }, dist: string): void {
  if (!existsSync(join(dist, 'index.html'))) return;
  const assets = listAssets(dist);
  const index = assets.get('/index.html')!;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CLIENT.test(req.path)) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const asset = assets.get(path);
    if (asset) return send(req, res, next, asset);
    // A missing hashed file is an old build's chunk: a 404, never index.html parsed as a script.
    if (path.startsWith('/assets/')) return res.status(404).type('text/plain').send('Not found');
    send(req, res, next, index);
  });
}
