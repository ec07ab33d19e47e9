import { Client } from 'pg';
import { browserStory } from '../support/browser';
import { writeParagraph } from '../support/docs';
import type { Page } from 'playwright-core';
import { enterMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';
import { call } from '../support/votes';

const PHONE = { width: 360, height: 740 };

describe('in a real browser: meeting kinds', () => {
  const story = browserStory();

  it('the chair schedules a party lesson on a phone in 长辈版: the form says it holds no votes, the list and the room name its kind', async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE, true);
    const { page } = chair;
    try {
      // The seeded year of meetings already shows its kinds.
      await page
        .getByTestId('meeting-item')
        .filter({ hasText: '党课（第1次）' })
        .getByTestId('meeting-kind')
        .filter({ hasText: '党课' })
        .waitFor();

      await page.locator('summary', { hasText: '安排议事会' }).click();
      const kind = page.getByTestId('schedule-kind');
      expect(await kind.inputValue()).toBe('deliberation');
      await kind.selectOption({ label: '党课' });
      await page.getByText('默认邀请：党员 这类会议不进行表决。').waitFor();
      await page.getByTestId('schedule-title').fill('党课：民法典与业主自治');
      await page.getByTestId('schedule-submit').click();

      const item = page.getByTestId('upcoming-meetings').getByTestId('meeting-item').filter({ hasText: '党课：民法典与业主自治' });
      await item.getByTestId('meeting-kind').filter({ hasText: '党课' }).waitFor();
      await item.getByTestId('meeting-enter').click();
      await page.getByTestId('meeting-title').filter({ hasText: '党课：民法典与业主自治' }).waitFor();
      expect(await page.getByTestId('meeting-kind').textContent()).toBe('党课');
    } finally {
      await chair.context.close();
    }
  });

  it('the chair schedules a party-branch meeting: list and room say 邀请：党员; a resident who is no party member only follows, until the chair marks them', async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE);
    const resident = await signedIn(story.browser, story.server.url, 'resident2', PHONE);
    story.closeFirst(chair.context, resident.context);
    const title = '党支部会议：楼门党小组分工';
    const fits = async (page: Page) =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // The kind brings its audience to the form; the chair could choose another there.
    await chair.page.locator('summary', { hasText: '安排议事会' }).click();
    const audience = chair.page.getByTestId('schedule-audience');
    expect(await audience.inputValue()).toBe('everyone');
    await chair.page.getByTestId('schedule-kind').selectOption({ label: '党支部会议' });
    expect(await audience.inputValue()).toBe('party_members');
    expect(await audience.locator('option:checked').textContent()).toBe('党员');
    await chair.page.getByTestId('schedule-title').fill(title);
    await chair.page.getByTestId('schedule-submit').click();
    const chairItem = chair.page.getByTestId('upcoming-meetings').getByTestId('meeting-item').filter({ hasText: title });
    await chairItem.getByTestId('meeting-audience').filter({ hasText: '邀请：党员' }).waitFor();
    expect(await chairItem.getByTestId('meeting-not-invited').count()).toBe(0);
    await enterMeeting(chair.page, title);
    expect(await chair.page.getByTestId('meeting-audience').textContent()).toBe('邀请：党员');
    await chair.page.getByTestId('meeting-open').click();
    await chair.page.getByTestId('meeting-status').filter({ hasText: '进行中' }).waitFor();
    const compoundId = /\/c\/([0-9a-f-]+)\//.exec(chair.page.url())![1];

    // resident2 (赵阿姨) is no party member: the list and the room say the meeting is not for her; she may follow.
    await resident.page.reload();
    const item = resident.page.getByTestId('meeting-item').filter({ hasText: title });
    await item.getByTestId('meeting-audience').filter({ hasText: '邀请：党员' }).waitFor();
    expect(await item.getByTestId('meeting-not-invited').textContent()).toBe('不在邀请之列');
    await enterMeeting(resident.page, title);
    const now = resident.page.getByTestId('now');
    await resident.page.locator('[data-testid="now"][data-now="not-invited"]').waitFor();
    expect(await now.textContent()).toContain('本次会议邀请：党员。您可以旁听，不能签到、举手或发言。');
    for (const control of ['check-in', 'hand-raise', 'chat-input']) expect(await resident.page.getByTestId(control).count()).toBe(0);
    await fits(resident.page);

    // The chair marks her a party member on the members screen; on her next visit she checks in.
    await chair.page.goto(`${story.server.url}/c/${compoundId}/members`);
    const row = chair.page.getByTestId('member-row').filter({ hasText: '赵阿姨' });
    await row.getByLabel('赵阿姨是党员').check();
    await row.locator('[data-testid="member-party"]:checked').waitFor();
    await resident.page.reload();
    await resident.page.getByTestId('meeting-audience').filter({ hasText: '邀请：党员' }).waitFor();
    expect(await resident.page.getByTestId('meeting-not-invited').count()).toBe(0);
    await resident.page.getByTestId('check-in').click();
    await resident.page.getByTestId('checked-in').waitFor();
    await fits(chair.page);
  });

  it('offers the chair no vote in an advice-seeking meeting (问计会) that takes up a proposal: the room says it holds none', async () => {
    const pg = new Client({ connectionString: story.db.url });
    await pg.connect();
    const [{ id: compoundId }] = (await pg.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`)).rows;
    await pg.end();
    const base = `/api/compounds/${compoundId}`;
    const token = (await signIn(story.server.url, 'chair')).accessToken;
    const meeting = await call(story.server.url, token, 'POST', `${base}/meetings`, {
      title: '问计会：楼道堆物怎么治',
      kind: 'advice',
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
      agenda: [{ title: '楼道堆物治理' }],
    });
    const p = await call(story.server.url, token, 'POST', `${base}/proposals`, {
      title: '楼道堆物治理办法（征求意见稿）',
      kind: 'other',
      agendaItemIds: [meeting.agenda[0].id],
    });
    await writeParagraph(story.server.url, token, p.id, '一、楼道内不得堆放杂物。');
    await call(story.server.url, token, 'POST', `${base}/proposals/${p.id}/revisions`);

    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE);
    try {
      const { page } = chair;
      await page.goto(`${story.server.url}/c/${compoundId}/m/${meeting.id}`);
      await page.getByTestId('meeting-kind').filter({ hasText: '问计会' }).waitFor();
      await page.getByTestId('vote-panel').getByTestId('meeting-holds-no-votes').filter({ hasText: '问计会不进行表决' }).waitFor();
      expect(await page.getByTestId('open-round-form').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await chair.context.close();
    }
  });
});
