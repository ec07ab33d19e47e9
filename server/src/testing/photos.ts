import sharp from 'sharp';
import type { TestApp } from './test-app';

/** A PNG larger than what is kept (3000 × 2000), so a stored copy shows it was downscaled. */
export const bigPng = () =>
  sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#6a8' } })
    .png()
    .toBuffer();

/** Sends one photo as the multipart `photo` field, as the client does. */
export function uploadPhoto<T>(t: TestApp, path: string, token: string | undefined, bytes: Buffer) {
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
  return t.api<T & { error: { code: string } }>('POST', path, { token, raw: form });
}

/** Fetches a stored photo: its content type and its size as stored. */
export async function fetchPhoto(t: TestApp, path: string, token: string | undefined) {
  const res = await fetch(t.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  const meta = res.ok ? await sharp(bytes).metadata() : null;
  return { status: res.status, contentType: res.headers.get('content-type'), longestEdge: meta ? Math.max(meta.width!, meta.height!) : 0 };
}
