import type { RoundView } from '@yishi/shared';
import { RoundQuestionDefault1764945000000 } from '../../infra/database/migrations/1764945000000-round-question-default';
import { writeDoc } from '../../testing/docs';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { printedQuestion } from './result-pdf';

/**
 * A round's question is stored as the chair typed it, or, left empty, as the default question's
 * key and parameters: a chair working in Chinese must not leave English readers a Chinese question.
 */
describe("a round's question", () => {
  let t: TestApp;
  let chair: string;
  let resident: string;
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  /** A proposal with one frozen revision. */
  const frozen = async (title: string) => {
    const p = await api('POST', '/proposals', chair, { title, kind: 'renovation' });
    await writeDoc(t.baseUrl, chair, p.body.id, { lines: [] });
    const rev = await api('POST', `/proposals/${p.body.id}/revisions`, chair);
    expect(rev.status).toBe(201);
    return p.body.id as string;
  };
  const stored = async (roundId: string) =>
    (await t.db.query(`SELECT question, question_default FROM vote_round WHERE id = $1`, [roundId]))[0] as {
      question: string | null;
      question_default: unknown;
    };

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
    resident = (await t.signIn('resident1')).accessToken;
  });
  afterAll(() => t.close());

  it('left empty, is stored as the default question with the title and revision, not as text in the chair’s language', async () => {
    const id = await frozen('外墙保温改造');
    const res = await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: 1, question: null, rule: 'simple_majority' });
    expect(res.status).toBe(201);
    const round = res.body as RoundView;
    const expected = { key: 'vote.defaultQuestion', params: { title: '外墙保温改造', n: 1 } };
    expect(round.question).toEqual(expected);
    expect(await stored(round.id)).toEqual({ question: null, question_default: expected });
    // Every reader gets the same structured question; the record of the opening holds it too.
    const listed = (await api('GET', `/proposals/${id}/rounds`, resident)).body as RoundView[];
    expect(listed.map((r) => r.question)).toEqual([expected]);
    const [entry] = await t.db.query(`SELECT body FROM audit_entry WHERE chain_id = $1 AND kind = 'round.opened'`, [id]);
    expect(JSON.parse(entry.body).question).toEqual(expected);
    // The printed papers are Chinese documents: there it reads as the zh-CN client words it.
    expect(printedQuestion(round.question)).toBe('是否同意《外墙保温改造》第 1 版？');
  });

  it('the chair’s own question stays exactly as typed (trimmed)', async () => {
    const id = await frozen('加装电梯');
    const res = await api('POST', `/proposals/${id}/rounds`, chair, {
      revisionNumber: 1,
      question: '  是否同意在2号楼加装电梯？ ',
      rule: 'unanimous',
    });
    expect(res.status).toBe(201);
    expect(res.body.question).toEqual({ text: '是否同意在2号楼加装电梯？' });
    expect(await stored(res.body.id)).toEqual({ question: '是否同意在2号楼加装电梯？', question_default: null });
    expect(printedQuestion(res.body.question)).toBe('是否同意在2号楼加装电梯？');
  });

  it('refuses a blank or overlong question with a field message, and writes no round', async () => {
    const id = await frozen('楼道照明');
    for (const question of ['   ', '问'.repeat(501), 42]) {
      const res = await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: 1, question, rule: 'unanimous' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['question']);
    }
    expect((await t.db.query(`SELECT count(*)::int AS n FROM vote_round WHERE proposal_id = $1`, [id]))[0].n).toBe(0);
  });

  it('the migration turns rounds stored with the old default wording (either language) into default ones, and leaves a chair’s own words', async () => {
    const ids = [await frozen('车棚改造'), await frozen('Bike shed'), await frozen('绿化提升')];
    const rounds: string[] = [];
    for (const id of ids)
      rounds.push((await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: 1, rule: 'unanimous' })).body.id);
    const migration = new RoundQuestionDefault1764945000000();
    const q = t.db.createQueryRunner();
    try {
      await migration.down(q);
      const [old] = await q.query(`SELECT question FROM vote_round WHERE id = $1`, [rounds[0]]);
      expect(old.question).toBe('是否同意《车棚改造》第 1 版？');
      // As the client used to store them: the zh-CN default, the English default, a question of the chair's.
      await q.query(`UPDATE vote_round SET question = 'Do you agree to “Bike shed”, revision 1?' WHERE id = $1`, [rounds[1]]);
      await q.query(`UPDATE vote_round SET question = '是否同意《绿化提升》方案？' WHERE id = $1`, [rounds[2]]);
      await migration.up(q);
    } finally {
      await q.release();
    }
    expect(await stored(rounds[0]!)).toEqual({
      question: null,
      question_default: { key: 'vote.defaultQuestion', params: { title: '车棚改造', n: 1 } },
    });
    expect(await stored(rounds[1]!)).toEqual({
      question: null,
      question_default: { key: 'vote.defaultQuestion', params: { title: 'Bike shed', n: 1 } },
    });
    expect(await stored(rounds[2]!)).toEqual({ question: '是否同意《绿化提升》方案？', question_default: null });
    // Exactly one of the two: a round with neither (or both) cannot be written.
    await expect(t.db.query(`UPDATE vote_round SET question_default = NULL WHERE id = $1`, [rounds[0]])).rejects.toThrow(
      /vote_round_one_question/,
    );
  });
});
