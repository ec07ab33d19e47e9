import type { Logger } from 'pino';
import { LOGGER } from '../../infra/logging/logger.module';
import { startTestApp, type TestApp } from '../../testing/test-app';
import type { YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

describe('the log lines of a socket command', () => {
  let t: TestApp;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logTo: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  });
  afterAll(() => t.close());

  it('gives the lines one socket command logs one id of their own', async () => {
    const commands = t.app.get(SocketCommands);
    const log = t.app.get<symbol, Logger>(LOGGER);
    const socket = { data: { userId: 'u', language: 'zh' } } as unknown as YishiSocket;
    const handler = (tag: string) => async () => {
      log.info({ tag }, 'first line');
      await new Promise((r) => setImmediate(r));
      log.info({ tag }, 'second line');
      return { state: {} } as never;
    };
    const meetingId = '00000000-0000-4000-8000-000000000000';
    await Promise.all([
      commands.run(socket, 'meeting:join', { meetingId }, handler('a')),
      commands.run(socket, 'meeting:join', { meetingId }, handler('b')),
    ]);
    const idsOf = (tag: string) => lines.filter((l) => l.tag === tag).map((l) => l.requestId);
    const [a, b] = [idsOf('a'), idsOf('b')];
    expect(a).toHaveLength(2);
    expect(a[0]).toEqual(expect.any(String));
    expect(a[1]).toBe(a[0]);
    expect(b[1]).toBe(b[0]);
    expect(b[0]).not.toBe(a[0]);
  });
});
