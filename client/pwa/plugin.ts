import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** Files from client/public that the app shell needs offline. */
const PUBLIC_SHELL = ['/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png'];

/**
 * Writes /sw.js (from client/pwa/service-worker.js) into the build, with the build's id (a hash
 * of its files, so a new build is a new worker with its own cache) and the files to keep offline.
 */
export function serviceWorker(): Plugin {
  return {
    name: 'yishi-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const out = bundle[f]!;
        hash.update(f).update(out.type === 'chunk' ? out.code : out.source);
      }
      const shell = ['/index.html', ...PUBLIC_SHELL, ...files.filter((f) => f !== 'index.html').map((f) => `/${f}`)];
      const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');
      const source = template
        .replace("'__YISHI_BUILD__'", JSON.stringify(hash.digest('hex').slice(0, 12)))
        .replace('__YISHI_SHELL__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
