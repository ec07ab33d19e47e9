import { browserStory } from '../support/browser';
import { signedIn } from '../support/meeting-setup';

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
});
