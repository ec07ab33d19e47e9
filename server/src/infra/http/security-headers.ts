import type { NextFunction, Request, Response } from 'express';

/**
 * The app's Content-Security-Policy. The built client has no inline script (index.html loads
 * /assets/*.js; the service worker is /sw.js), so scripts come from this origin only. Styles
 * allow 'unsafe-inline' for the loading message's `style` attributes in index.html and React's
 * style props; a style cannot run code. Images may be `blob:`/`data:` (photo previews before
 * upload, saved files). The socket is same-origin: `'self'` covers ws(s) in current browsers,
 * and the request's own host is named as well for older ones.
 */
function appPolicy(host: string | undefined): string {
  // The Host header is echoed only if it looks like a host, so it can never add a directive.
  const socket = host && /^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${socket}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Uploaded files (photos of paper ballots and list items): opened on their own, they run nothing. */
export const UPLOADED_FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/** Swagger UI (/api/docs) is a developer page with its own inline set-up; it keeps the other headers. */
const API_DOCS = /^\/api\/docs(\/|$|-json)/;

/**
 * Headers every response carries. HSTS only when the request came over TLS, directly or as a
 * trusted proxy says (`TRUST_PROXY`, so `req.secure` reads X-Forwarded-Proto): sent over plain
 * HTTP on a LAN it would lock the compound's own server out of browsers.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (!API_DOCS.test(req.path)) res.setHeader('Content-Security-Policy', appPolicy(req.headers.host));
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  next();
}

/** Sends an uploaded photo: only this server's own JPEG encodings, never sniffed, sandboxed, cached privately. */
export function sendUploadedPhoto(res: Response, bytes: Buffer, name: string, image = true): void {
  res.setHeader('content-type', image ? 'image/jpeg' : 'application/octet-stream');
  res.setHeader('content-disposition', `${image ? 'inline' : 'attachment'}; filename="${name}.${image ? 'jpg' : 'bin'}"`);
  res.setHeader('content-security-policy', UPLOADED_FILE_POLICY);
  res.setHeader('cache-control', 'private, max-age=3600');
  res.end(bytes);
}
