import type { ProjectorEvent, ProjectorState, RoundView, TallyView } from '@yishi/shared';
import { SOCKET_PARSER } from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';
import { participant, type Participant } from '../support/clients';
import { scheduleDemoMeeting } from '../support/meeting-setup';
import { signIn } from '../support/server-process';
import { twoNodes } from '../support/two-nodes';
import { call, castBallot, connectVoter, emit, openRound, type Voter, votingBuilding } from '../support/votes';

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
  let screen: Socket | undefined;
  let chair: Participant | undefined;
  let voters: Voter[] = [];

  const nodes = twoNodes('projector-nodes-secret-projector-nodes-42', {
    beforeStop: () => {
      screen?.close();
      chair?.close();
      for (const v of voters) v.close();
    },
  });

  it('follows the meeting and the tally changed on A, and is cut off on B when A revokes the link', async () => {
    const demo = await scheduleDemoMeeting(nodes.a.url, '两个节点的投屏');
    const chairToken = (await signIn(nodes.a.url, 'chair')).accessToken;
    const linkPath = `/api/compounds/${demo.compoundId}/meetings/${demo.meetingId}/projector-link`;
    const { token } = await call<{ token: string }>(nodes.a.url, chairToken, 'POST', linkPath);

    screen = io(nodes.b.url, {
      parser: SOCKET_PARSER,
      transports: ['websocket'],
      auth: { projectorToken: token, meetingId: demo.meetingId },
    });
    await next(screen, 'connect');
    const joined = await emit(screen, 'projector:join', {});
    expect((joined.state as ProjectorState).meeting.status).toBe('scheduled');

    chair = await participant('chair@A', nodes.a.url, chairToken, demo.meetingId);
    const live = next<ProjectorEvent>(screen, 'projector:event', (e) => e.kind === 'meeting' && e.meeting.status === 'live');
    await chair.send('meeting:open', { meetingId: demo.meetingId });
    await live;

    const building = await votingBuilding(nodes.db.url, nodes.a.url, 2, 2);
    voters = await Promise.all(building.voters.map((v) => connectVoter(nodes.a.url, v.token, v.households)));
    const opened = next<RoundView>(screen, 'vote:round', (r) => r.status === 'open');
    const first = next<TallyView>(screen, 'vote:tally');
    const round = await openRound(nodes.a.url, chairToken, demo.compoundId, [building.buildingId], { meetingId: demo.meetingId });
    expect((await opened).id).toBe(round.id);
    expect((await first).tally.participating.households).toBe(0);
    const counted = next<TallyView>(screen, 'vote:tally', (t) => t.tally.for.households === 1);
    expect((await castBallot(voters[0]!.socket, round, voters[0]!.households[0]!, 'for')).ok).toBe(true);
    await counted;

    const ended = next<{ code: string }>(screen, 'projector:ended');
    const gone = next(screen, 'disconnect');
    await call(nodes.a.url, chairToken, 'DELETE', linkPath);
    expect(await ended).toEqual({ code: 'UNAUTHENTICATED' });
    await gone;
  });
});
