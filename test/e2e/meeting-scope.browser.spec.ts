import { Client } from 'pg';
import { browserStory } from '../support/browser';
import { enterMeeting, signedIn } from '../support/meeting-setup';

const PHONE = { width: 360, height: 740 };

describe('in a real browser: a community meeting with an item of another compound (issue 16)', () => {
  const story = browserStory();

  beforeAll(async () => {
    // A neighbouring compound of the same community, with one household and its resident (the demo password).
    const pg = new Client({ connectionString: story.db.url });
    await pg.connect();
    try {
      const [b] = (
        await pg.query(
          `INSERT INTO compound (community_id, name, address) SELECT community_id, '霞光里36号院', '霞光里36号' FROM compound WHERE name = '霞光里35号院' RETURNING id`,
        )
      ).rows;
      const [building] = (await pg.query(`INSERT INTO building (compound_id, name, sort) VALUES ($1, '1号楼', 1) RETURNING id`, [b.id]))
        .rows;
      const [h] = (
        await pg.query(
          `INSERT INTO household (compound_id, building_id, unit, area_centi_m2, developer_held) VALUES ($1, $2, '101', 8000, false) RETURNING id`,
          [b.id, building.id],
        )
      ).rows;
      const [u] = (
        await pg.query(
          `INSERT INTO app_user (username, display_name, password_hash) SELECT 'r36', '王阿姨', password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
        )
      ).rows;
      await pg.query(`INSERT INTO membership (user_id, compound_id, role, household_id) VALUES ($1, $2, 'resident', $3)`, [
        u.id,
        b.id,
        h.id,
      ]);
    } finally {
      await pg.end();
    }
  });

  it("the host's chair schedules it on a phone in 长辈版; the other compound's resident joins the room and sees their own item", async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE, true);
    try {
      const { page } = chair;
      await page.locator('summary', { hasText: '安排议事会' }).click();
      await page.getByTestId('schedule-scope').selectOption({ label: '本社区' });
      await page.getByTestId('schedule-title').fill('社区议事协商会：停车与电梯');
      await page.getByTestId('schedule-agenda').fill('35号院加装电梯\n36号院停车治理');
      const items = page.getByTestId('schedule-item-compound');
      await items.nth(1).waitFor();
      // Each item defaults to the host compound; the parking item is about the neighbour.
      expect(await items.nth(0).locator('option:checked').textContent()).toBe('霞光里35号院');
      await page.getByLabel('36号院停车治理').selectOption({ label: '霞光里36号院' });
      await page.getByTestId('schedule-submit').click();
      const item = page.getByTestId('upcoming-meetings').getByTestId('meeting-item').filter({ hasText: '社区议事协商会：停车与电梯' });
      await item.getByText('社区会议').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await chair.context.close();
    }

    const resident = await signedIn(story.browser, story.server.url, 'r36', PHONE);
    try {
      const { page } = resident;
      const item = page.getByTestId('meeting-item').filter({ hasText: '社区议事协商会：停车与电梯' });
      expect(await item.getByTestId('meeting-guest-items').textContent()).toBe('涉及本小区的议题：36号院停车治理');
      await enterMeeting(page, '社区议事协商会：停车与电梯');
      const agenda = page.getByTestId('agenda');
      await agenda.getByText('36号院停车治理').waitFor();
      expect(await agenda.textContent()).not.toContain('35号院加装电梯');
      // A guest takes part; the chair's console is the host's.
      expect(await page.getByTestId('minutes-link').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await resident.context.close();
    }
  });
});
