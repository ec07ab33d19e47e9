// Starting the built server and making its database are shared with the benchmarks: see built-server.cjs.
export {
  freshDatabase,
  type FreshDatabase,
  REPO_ROOT,
  runServerToExit,
  SERVER_MAIN,
  type ServerProcess,
  startServer,
  TEST_DATABASE_URL,
} from './built-server.cjs';

export async function signIn(
  baseUrl: string,
  login: string,
  password = 'yishi2026',
): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}
