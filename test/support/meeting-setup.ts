import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIn } from './server-process';

export interface DemoMeeting {
  compoundId: string;
  meetingId: string;
  proposalId: string;
  agendaItemId: string;
}

async function api<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The chair schedules a meeting with one agenda item and a proposal on it, over the API. */
export async function scheduleDemoMeeting(base: string, title = '第18次议事会：平房改造'): Promise<DemoMeeting> {
  const { accessToken } = await signIn(base, 'chair');
  const me = await api<{ memberships: Array<{ compoundId: string }> }>(base, accessToken, 'GET', '/me');
  const compoundId = me.memberships[0]?.compoundId;
  if (!compoundId) throw new Error('the chair is a member of no compound');
  const meeting = await api<{ id: string; agenda: Array<{ id: string }> }>(base, accessToken, 'POST', `/compounds/${compoundId}/meetings`, {
    title,
    scheduledAt: new Date(Date.now() + 60_000).toISOString(),
    place: '35号院议事厅',
    // No rule fixed for the meeting: each round names its own (a meeting's rule binds its rounds).
    agenda: [{ title: '670平方米危旧平房改造方案' }, { title: '其他事项' }],
  });
  const [item] = meeting.agenda;
  if (!item) throw new Error('the meeting came back without its agenda');
  const proposal = await api<{ id: string }>(base, accessToken, 'POST', `/compounds/${compoundId}/proposals`, {
    title: '危旧平房改造方案',
    kind: 'renovation',
    agendaItemIds: [item.id],
  });
  // The property-rights unit must commit its share before the proposal can be adopted.
  const compound = await api<{ organisations: Array<{ id: string; kind: string }> }>(base, accessToken, 'GET', `/compounds/${compoundId}`);
  const rights = compound.organisations.find((o) => o.kind === 'property_rights_unit')!;
  await api(base, accessToken, 'PUT', `/compounds/${compoundId}/proposals/${proposal.id}/required-sign-offs`, {
    organisationIds: [rights.id],
  });
  return { compoundId, meetingId: meeting.id, proposalId: proposal.id, agendaItemId: item.id };
}

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** A new browser context (its own storage and network), signed in through the sign-in screen. */
export async function signedIn(
  browser: Browser,
  base: string,
  login: string,
  viewport: { width: number; height: number },
  elderly = false,
): Promise<Person> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 500 ? 2 : 1, locale: 'zh-CN' });
  if (elderly) await context.addInitScript(() => window.localStorage.setItem('yishi.elderly', '1'));
  const page = await context.newPage();
  // No pop-ups anywhere: a dialog fails the test rather than being dismissed silently.
  page.on('dialog', (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  await page.goto(base);
  await page.getByLabel('手机号或用户名').fill(login);
  await page.getByLabel('密码').fill('yishi2026');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('compound-name').waitFor();
  return { context, page };
}

/** From the compound's home screen into the meeting room, by tapping, as a person would. */
export async function enterMeeting(page: Page, title: string): Promise<void> {
  await page.getByTestId('meeting-item').filter({ hasText: title }).getByTestId('meeting-enter').click();
  await page.getByTestId('meeting-title').filter({ hasText: title }).waitFor();
}
