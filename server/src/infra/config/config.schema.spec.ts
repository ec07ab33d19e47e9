import { ConfigError, validateEnv } from './config.schema';

const error = (env: Record<string, string>) => {
  try {
    validateEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('has defaults for everything in development', () => {
    const env = validateEnv({});
    expect(env).toEqual(expect.objectContaining({ NODE_ENV: 'development', PORT: 3000, ACCESS_TOKEN_TTL_S: 900 }));
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('stops on a bad value with one line naming the variable and the value', () => {
    const msg = error({ PORT: 'eighty' });
    expect(msg).toMatch(/^Configuration error: PORT .*"eighty"/);
    expect(msg.split('\n')).toHaveLength(1);
    expect(error({ DATABASE_URL: 'mysql://x' })).toMatch(/^Configuration error: DATABASE_URL .*value hidden/);
  });

  it('requires a signing secret and a database in production, without printing secrets', () => {
    expect(error({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/yishi' })).toMatch(
      /JWT_SECRET is required when NODE_ENV=production/,
    );
    expect(error({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toMatch(/DATABASE_URL is required/);
    const short = error({ JWT_SECRET: 'hunter2' });
    expect(short).toMatch(/JWT_SECRET must be at least 32 characters/);
    expect(short).not.toContain('hunter2');
  });
});
