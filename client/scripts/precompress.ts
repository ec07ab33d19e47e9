// Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, once, at the
// highest settings, so the server sends compressed bytes without compressing per request (see
// server/src/infra/http/client-assets.ts, which picks the variant the browser accepts).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Logger, Plugin } from 'vite';

const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml|map|ttf|otf|eot)$/;

const br = promisify(brotliCompress);
const gz = promisify(gzip);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Compresses the text files under `dir`; a variant is kept only when it is smaller. */
export async function precompressDir(dir: string): Promise<number> {
  const files = (await filesUnder(dir)).filter((f) => TEXT.test(f));
  let written = 0;
  await Promise.all(
    files.map(async (file) => {
      const raw = await readFile(file);
      const [brotli, gzipped] = await Promise.all([
        br(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gz(raw, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      for (const [ext, bytes] of [
        ['.br', brotli],
        ['.gz', gzipped],
      ] as const) {
        if (bytes.length >= raw.length) continue;
        await writeFile(file + ext, bytes);
        written++;
      }
    }),
  );
  return written;
}

/** After the build has written everything (public/ included), compress the output folder. */
export function precompress(): Plugin {
  let outDir = '';
  let logger: Logger | undefined;
  return {
    name: 'yishi-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      logger = config.logger;
    },
    async closeBundle() {
      const n = await precompressDir(outDir);
      logger?.info(`precompressed: ${n} .br and .gz files`);
    },
  };
}
