import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorker } from './pwa/plugin';
import { precompress } from './scripts/precompress.ts';

// The client compiles @yishi/shared from source, so it never waits for shared's own build.
const sharedSrc = fileURLToPath(new URL('../shared/src/', import.meta.url));
const apiServer = 'http://localhost:3000';

export default defineConfig({
  // The service worker is part of the bundle; the compressed copies are made of everything written.
  plugins: [react(), serviceWorker(), precompress()],
  resolve: {
    alias: [{ find: /^@yishi\/shared$/, replacement: `${sharedSrc}index.ts` }],
  },
  server: {
    proxy: {
      '/api': { target: apiServer, changeOrigin: true },
      '/socket.io': { target: apiServer, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      treeshake: {
        // shared's modules only declare things; without this hint its zod schemas (and zod with
        // them) would land in the bundle even though the client never validates with them.
        moduleSideEffects: [{ test: /[\\/]shared[\\/]src[\\/]/, sideEffects: false }],
        // Building a schema does nothing else, so a screen that takes only a constant from a
        // schemas module (PROPOSAL_KINDS) does not bring that module's schemas and zod along.
        manualPureFunctions: ['z'],
      },
      output: {
        // Libraries change less often than the app, so they get their own long-cached file. Only
        // those the first screen needs: a catch-all group would pull the lazily loaded editor
        // (TipTap, ProseMirror, Yjs) into the initial download.
        codeSplitting: {
          groups: [
            {
              name: 'vendor',
              test: /[\\/]node_modules[\\/](react|react-dom|react-router|scheduler|i18next|react-i18next|socket\.io-client|socket\.io-parser|socket\.io-msgpack-parser|engine\.io-client|engine\.io-parser|@socket\.io|notepack\.io|debug|ms|component-emitter|xmlhttprequest-ssl)[\\/]/,
            },
          ],
        },
      },
    },
  },
});
