import type { RoundResultView } from '@yishi/shared';
import { buildMeetingRecord, type RecordRows } from './meeting-record';

const at = (hhmmss: string) => new Date(`2026-12-03T${hhmmss}.000Z`);
const counts = (households: number, areaCentiM2 = 0, heads = households) => ({ households, areaCentiM2, heads });
/** A stored result with the household counts that matter to the record; the rest as stored. */
const result = (f: number, a: number, ab: number, nv: number, closeHash: string) =>
  ({
    tally: { for: counts(f), against: counts(a), abstain: counts(ab), participating: counts(f + a + ab), notVoted: counts(nv) },
    closeHash,
  }) as unknown as RoundResultView;

/** 霞光里: four units, of which owner o3 holds two (one head), 8000 + 6000 + 5000 + 5000 (0.01 m²). */
function rows(): RecordRows {
  return {
    meeting: {
      id: 'm1',
      title: '平房改造第18次议事会',
      place: '35号院活动室',
      scheduled_at: at('11:00:00'),
      opened_at: at('11:02:00'),
      adjourned_at: at('12:30:00'),
    },
    electorate: [
      { id: 'h1', areaCentiM2: 8000, developerHeld: false, ownerIds: ['o1'] },
      { id: 'h2', areaCentiM2: 6000, developerHeld: false, ownerIds: ['o2'] },
      { id: 'h3', areaCentiM2: 5000, developerHeld: false, ownerIds: ['o3'] },
      { id: 'h4', areaCentiM2: 5000, developerHeld: false, ownerIds: ['o3'] },
    ],
    attendance: [
      { display_name: '王主任', method: 'on_site', household_ids: [] },
      { display_name: '李大爷', method: 'online', household_ids: ['h1'] },
      { display_name: '张阿姨', method: 'on_site', household_ids: ['h3', 'h4'] },
      { display_name: '2号楼101', method: 'registered', household_ids: ['h2'] },
    ],
    agenda: [
      { position: 1, title: '平房改造方案第二稿', status: 'done' },
      { position: 2, title: '其他事项', status: 'pending' },
    ],
    turns: [
      { user_id: 'u2', display_name: '李大爷', started_at: at('11:10:00'), ended_at: at('11:13:20') },
      { user_id: 'u3', display_name: '张阿姨', started_at: at('11:14:00'), ended_at: at('11:15:30') },
      { user_id: 'u2', display_name: '李大爷', started_at: at('11:40:00'), ended_at: at('11:41:05') },
      // Still speaking when the meeting adjourned: counted up to the adjournment.
      { user_id: 'u3', display_name: '张阿姨', started_at: at('12:29:00'), ended_at: null },
    ],
    rounds: [
      {
        id: 'r1',
        proposal_title: '平房改造方案',
        number: 1,
        revision_number: 1,
        question: { key: 'vote.defaultQuestion', params: { title: '平房改造方案', n: 1 } },
        rule: 'unanimous',
        art278_item: null,
        passed: false,
        result: result(3, 1, 0, 0, 'c1'),
      },
      {
        id: 'r2',
        proposal_title: '平房改造方案',
        number: 2,
        revision_number: 2,
        question: { text: '是否同意第二稿？' },
        rule: 'unanimous',
        art278_item: null,
        passed: true,
        result: result(4, 0, 0, 0, 'c2'),
      },
    ],
    comments: [
      { id: 'k1', thread_id: 'k1', parent_id: null, round_id: 'r1', objection: 'against', author_name: '张阿姨', body: '资金来源不清楚' },
      { id: 'k2', thread_id: 'k1', parent_id: 'k1', round_id: null, objection: null, author_name: '王主任', body: '产权单位已同意出资' },
      // A round of another meeting: not this record's.
      { id: 'k3', thread_id: 'k3', parent_id: null, round_id: 'rX', objection: 'abstain', author_name: '赵先生', body: '别的会' },
    ],
    whistles: [
      {
        question: '危房鉴定需房管局到场',
        deadline: at('23:00:00'),
        status: 'open',
        targets: ['区房管局'],
        created_at: at('11:50:00'),
      },
    ],
    now: at('13:00:00'),
  };
}

describe('the automatic record of a meeting', () => {
  it('of a meeting with two rounds: attendance, agenda, speakers, rounds, decisions, objections and whistles, exactly', () => {
    expect(buildMeetingRecord(rows())).toEqual({
      meeting: {
        id: 'm1',
        title: '平房改造第18次议事会',
        place: '35号院活动室',
        scheduledAt: '2026-12-03T11:00:00.000Z',
        openedAt: '2026-12-03T11:02:00.000Z',
        adjournedAt: '2026-12-03T12:30:00.000Z',
      },
      attendance: {
        people: 4,
        // Four units present; owner o3's two units are one head.
        present: { households: 4, areaCentiM2: 24000, heads: 3 },
        eligible: { households: 4, areaCentiM2: 24000, heads: 3 },
        online: 1,
        onSite: 2,
        registered: 1,
        names: ['王主任', '李大爷', '张阿姨', '2号楼101'],
      },
      agenda: [
        { position: 1, title: '平房改造方案第二稿', status: 'done' },
        { position: 2, title: '其他事项', status: 'pending' },
      ],
      speakers: [
        { name: '李大爷', turns: 2, seconds: 200 + 65 },
        { name: '张阿姨', turns: 2, seconds: 90 + 60 },
      ],
      rounds: [
        {
          proposalTitle: '平房改造方案',
          number: 1,
          revisionNumber: 1,
          question: { key: 'vote.defaultQuestion', params: { title: '平房改造方案', n: 1 } },
          rule: 'unanimous',
          art278Item: null,
          passed: false,
          for: 3,
          against: 1,
          abstain: 0,
          notVoted: 0,
          closeHash: 'c1',
        },
        {
          proposalTitle: '平房改造方案',
          number: 2,
          revisionNumber: 2,
          question: { text: '是否同意第二稿？' },
          rule: 'unanimous',
          art278Item: null,
          passed: true,
          for: 4,
          against: 0,
          abstain: 0,
          notVoted: 0,
          closeHash: 'c2',
        },
      ],
      decisions: [{ proposalTitle: '平房改造方案', roundNumber: 2, rule: 'unanimous' }],
      objections: [
        {
          proposalTitle: '平房改造方案',
          roundNumber: 1,
          stance: 'against',
          author: '张阿姨',
          body: '资金来源不清楚',
          answers: [{ author: '王主任', body: '产权单位已同意出资' }],
        },
      ],
      whistles: [
        {
          question: '危房鉴定需房管局到场',
          deadline: '2026-12-03T23:00:00.000Z',
          status: 'open',
          targets: ['区房管局'],
          at: '2026-12-03T11:50:00.000Z',
        },
      ],
    });
  });

  it('of a meeting still live: an open round has no verdict, a turn under way counts up to now, and a partial attendance counts only who came', () => {
    const r = rows();
    r.meeting.adjourned_at = null;
    r.attendance = [r.attendance[2]!];
    r.rounds = [{ ...r.rounds[0]!, passed: null, result: null }];
    r.turns = [{ user_id: 'u3', display_name: '张阿姨', started_at: at('12:58:30'), ended_at: null }];
    const record = buildMeetingRecord(r);
    expect(record.attendance.present).toEqual({ households: 2, areaCentiM2: 10000, heads: 1 });
    expect(record.speakers).toEqual([{ name: '张阿姨', turns: 1, seconds: 90 }]);
    expect(record.rounds[0]).toMatchObject({ passed: null, for: 0, against: 0, abstain: 0, notVoted: 0, closeHash: null });
    expect(record.decisions).toEqual([]);
    expect(record.meeting.adjournedAt).toBeNull();
  });

  it('is the same for the same rows (what closing hashes must not depend on the clock once adjourned)', () => {
    const a = rows();
    const b = { ...rows(), now: at('23:59:59') };
    expect(buildMeetingRecord(a)).toEqual(buildMeetingRecord(b));
  });
});
