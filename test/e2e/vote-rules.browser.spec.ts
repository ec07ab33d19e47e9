import { join } from 'node:path';
import { Client } from 'pg';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { enterMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';
import { writeParagraph } from '../support/docs';
import { call } from '../support/votes';

const TITLE = '第19次议事会：外墙改造';

/**
 * In a real browser: an owner of two units votes once for both, reads who counts as one owner,
 * and opens the counting rules from the vote screen.
 */
describe('in a real browser: one owner of two units, and the counting rules', () => {
  const story = browserStory();
  let wang: Person;
  let units: Array<{ id: string; label: string }>;
  let compoundId: string;
  let chair: string;
  let roundId: string;

  beforeAll(async () => {
    const meeting = await scheduleDemoMeeting(story.server.url, TITLE);
    compoundId = meeting.compoundId;
    // 王大爷 (resident1) owns 1号楼 1单元 201 and, in this test, 1号楼 2单元 202 too, and votes for both.
    const pg = new Client({ connectionString: story.db.url });
    await pg.connect();
    try {
      units = (
        await pg.query(
          `SELECT h.id, concat_ws(' ', b.name, g.name, h.unit) AS label FROM household h JOIN building b ON b.id = h.building_id JOIN building_gate g ON g.id = h.gate_id
           WHERE b.name = '1号楼' AND ((g.name = '1单元' AND h.unit = '201') OR (g.name = '2单元' AND h.unit = '202')) ORDER BY g.name`,
        )
      ).rows;
      const [u201, u202] = units;
      if (!u201 || !u202) throw new Error(`expected 1号楼 1单元 201 and 2单元 202, found ${units.length} of them`);
      const [{ owner_id: owner }] = (await pg.query(`SELECT owner_id FROM household_owner WHERE household_id = $1`, [u201.id])).rows;
      await pg.query(`DELETE FROM household_owner WHERE household_id = $1`, [u202.id]);
      await pg.query(`INSERT INTO household_owner (household_id, owner_id) VALUES ($1, $2)`, [u202.id, owner]);
      await pg.query(`UPDATE household SET voter_user_id = (SELECT voter_user_id FROM household WHERE id = $1) WHERE id = $2`, [
        u201.id,
        u202.id,
      ]);
    } finally {
      await pg.end();
    }
    chair = (await signIn(story.server.url, 'chair')).accessToken;
    await writeParagraph(story.server.url, chair, meeting.proposalId, '外墙保温改造，资金由产权单位承担。');
    const rev = await call(story.server.url, chair, 'POST', `/api/compounds/${compoundId}/proposals/${meeting.proposalId}/revisions`);
    const round = await call(story.server.url, chair, 'POST', `/api/compounds/${compoundId}/proposals/${meeting.proposalId}/rounds`, {
      revisionNumber: rev.number,
      question: '是否同意外墙改造方案？',
      rule: 'art278_special',
      art278Item: 7,
      meetingId: meeting.meetingId,
    });
    roundId = round.id;
    wang = await signedIn(story.browser, story.server.url, 'resident1', { width: 360, height: 740 }, true);
  });

  it('shows an owner of two units one ballot that counts for both, and says who counts as one owner', async () => {
    await enterMeeting(wang.page, TITLE);
    await wang.page.getByTestId('round-question').filter({ hasText: '外墙改造' }).waitFor();
    // One ballot box, not two, naming both units.
    await wang.page.getByTestId('one-stance').filter({ hasText: '您的 2 套房屋' }).waitFor();
    expect(await wang.page.getByTestId('ballot').count()).toBe(1);
    const note = await wang.page.getByTestId('one-stance').innerText();
    for (const u of units) expect(note).toContain(u.label);
    await wang.page.getByTestId('head-key').filter({ hasText: '同一业主名下的几套房屋合计算一人' }).waitFor();

    await wang.page.getByTestId('choose-for').click();
    await wang.page.getByTestId('ballot-confirm').click();
    await wang.page.getByTestId('ballot-cast').filter({ hasText: '赞成' }).waitFor();
    // Two households, one head.
    await wang.page.getByTestId('tally-counted').filter({ hasText: '已投票 2 / 36 户' }).waitFor();
    const tally = await call(story.server.url, chair, 'GET', `/api/compounds/${compoundId}/rounds/${roundId}/tally`);
    expect(tally.tally.for).toMatchObject({ households: 2, heads: 1 });
    await wang.page.screenshot({ path: join(SCREENSHOTS_DIR, 'vote-two-units-360-elderly.png'), fullPage: true });
  });

  it('opens the counting rules from the vote screen, readable on a 360 px phone, and comes back', async () => {
    await wang.page.getByTestId('rules-link').click();
    await wang.page.getByTestId('rules-page').waitFor();
    await wang.page.getByRole('heading', { name: '表决与分摊规则 · Counting rules' }).waitFor();
    const text = await wang.page.getByTestId('rules-page').innerText();
    expect(text).toContain('《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第九条');
    expect(text).toContain('参与人数：3 × 1 = 3 ≥ 2 × 2 = 4，未达到，不通过。');
    // Nothing wider than the phone, and the Markdown came through as text, not markup.
    expect(await wang.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await wang.page.locator('[data-testid="rules-page"] code').first().innerText()).toBe('developer');
    await wang.page.screenshot({ path: join(SCREENSHOTS_DIR, 'rules-360-elderly.png'), fullPage: true });
    await wang.page.getByTestId('rules-back').click();
    await wang.page.getByTestId('round-question').waitFor();
  });
});
