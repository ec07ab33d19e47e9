import type { ProjectorEvent, ProjectorState, RoundView, TallyView } from '@yishi/shared';
import { SOCKET_PARSER } from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';
import { participant, type Participant } from '../support/clients';
import { scheduleDemoMeeting } from '../support/meeting-setup';
import { freshDatabase, type ServerProcess, signIn, startServer } from '../support/server-process';
import { call, castBallot, connectVoter, emit, openRound, type Voter, votingBuilding } from '../support/votes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves with the first event of that name that satisfies the predicate. */
function next<T>(s: Socket, name: string, predicate: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within 15 s`)), 15_000);
    const on = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      s.off(name, on);
      resolve(payload);
    };
    s.on(name, on);
  });
}

/** The chair on node A, the big screen on node B: every change, and the revocation, crosses over. */
describe('a projector on another node than the chair', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let screen: Socket | undefined;
  let chair: Participant | undefined;
  let voters: Voter[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    const env = { DATABASE_URL: db.url, REDIS_URL, SEED_DEMO: 'true', JWT_SECRET: 'projector-nodes-secret-projector-nodes-42' };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    screen?.close();
    chair?.close();
    for (const v of voters) v.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  it('follows the meeting and the tally changed on A, and is cut off on B when A revokes the link', async () => {
    const demo = await scheduleDemoMeeting(a.url, '两个节点的投屏');
    const chairToken = (await signIn(a.url, 'chair')).accessToken;
    const linkPath = `/api/compounds/${demo.compoundId}/meetings/${demo.meetingId}/projector-link`;
    const { token } = await call<{ token: string }>(a.url, chairToken, 'POST', linkPath);

    screen = io(b.url, { parser: SOCKET_PARSER, transports: ['websocket'], auth: { projectorToken: token, meetingId: demo.meetingId } });
    await next(screen, 'connect');
    const joined = await emit(screen, 'projector:join', {});
    expect((joined.state as ProjectorState).meeting.status).toBe('scheduled');

    chair = await participant('chair@A', a.url, chairToken, demo.meetingId);
    const live = next<ProjectorEvent>(screen, 'projector:event', (e) => e.kind === 'meeting' && e.meeting.status === 'live');
    await chair.send('meeting:open', { meetingId: demo.meetingId });
    await live;

    const building = await votingBuilding(db.url, a.url, 2, 2);
    voters = await Promise.all(building.voters.map((v) => connectVoter(a.url, v.token, v.households)));
    const opened = next<RoundView>(screen, 'vote:round', (r) => r.status === 'open');
    const first = next<TallyView>(screen, 'vote:tally');
    const round = await openRound(a.url, chairToken, demo.compoundId, [building.buildingId], { meetingId: demo.meetingId });
    expect((await opened).id).toBe(round.id);
    expect((await first).tally.participating.households).toBe(0);
    const counted = next<TallyView>(screen, 'vote:tally', (t) => t.tally.for.households === 1);
    expect((await castBallot(voters[0]!.socket, round, voters[0]!.households[0]!, 'for')).ok).toBe(true);
    await counted;

    const ended = next<{ code: string }>(screen, 'projector:ended');
    const gone = next(screen, 'disconnect');
    await call(a.url, chairToken, 'DELETE', linkPath);
    expect(await ended).toEqual({ code: 'UNAUTHENTICATED' });
    await gone;
  });
});
