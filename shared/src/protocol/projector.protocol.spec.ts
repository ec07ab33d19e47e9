import type { MeetingView, QuorumView } from './meeting.protocol';
import { applyProjectorEvent, type ProjectorState } from './projector.protocol';

const quorum = (households: number) => ({ present: { households } }) as QuorumView;
const state: ProjectorState = {
  seq: 5,
  serverTime: '2026-12-03T10:00:00.000Z',
  meeting: { id: 'm', title: '议事会' } as MeetingView,
  quorum: quorum(3),
  speakers: { queue: [], floor: null },
  proposals: [],
  round: null,
  tally: null,
};
const at = '2026-12-03T10:00:01.000Z';

describe('the projector applies public slices', () => {
  it('replaces the slice an event carries and moves to its seq', () => {
    const next = applyProjectorEvent(state, { meetingId: 'm', seq: 7, at, kind: 'quorum', quorum: quorum(4) });
    expect(next).toEqual({ ...state, seq: 7, quorum: quorum(4) });
  });

  it('ignores a slice no newer than what it shows (events from several nodes may cross)', () => {
    expect(applyProjectorEvent(state, { meetingId: 'm', seq: 5, at, kind: 'quorum', quorum: quorum(1) })).toBe(state);
    expect(applyProjectorEvent(state, { meetingId: 'm', seq: 2, at, kind: 'speakers', speakers: { queue: [], floor: null } })).toBe(state);
  });
});
