// The command line of a benchmark: node's parseArgs plus what every benchmark takes and checks.
import { parseArgs } from 'node:util';

/**
 * Parses the command line with `options`, adding --env KEY=VALUE (extra server environment,
 * repeatable) and --help (prints `usage`, exits 0). Exits 2 on a malformed --env.
 */
export function benchOptions(options, usage) {
  const { values: opt } = parseArgs({
    options: { ...options, env: { type: 'string', multiple: true, default: [] }, help: { type: 'boolean', default: false } },
  });
  if (opt.help) {
    console.log(usage);
    process.exit(0);
  }
  if (opt.env.some((kv) => !/^[A-Z_][A-Z0-9_]*=/.test(kv))) {
    console.error('--env takes KEY=VALUE');
    process.exit(2);
  }
  return opt;
}

/** The option `k` as a number of at least `min`; exits 2 when it is not one. */
export function numberOption(opt, k, min) {
  const v = Number(opt[k]);
  if (!Number.isFinite(v) || v < min) {
    console.error(`--${k} must be a number ≥ ${min}`);
    process.exit(2);
  }
  return v;
}

/** The --env options as an environment object. */
export function envOption(opt) {
  return Object.fromEntries(opt.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}
