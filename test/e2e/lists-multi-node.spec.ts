import { type ListsChangedEvent, SOCKET_PARSER, sendCommand } from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';
import { api } from '../support/lists';
import { signIn } from '../support/server-process';
import { twoNodes } from '../support/two-nodes';

/** A socket on one node, resolved once connected. */
function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { parser: SOCKET_PARSER, transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const next = (s: Socket, kind: ListsChangedEvent['kind']) =>
  new Promise<ListsChangedEvent>((resolve) => {
    const on = (e: ListsChangedEvent) => {
      if (e.kind !== kind) return;
      s.off('lists:changed', on);
      resolve(e);
    };
    s.on('lists:changed', on);
  });

/** Two nodes behind one Redis: a change committed through one node reaches the followers on the other. */
describe('live lists across two nodes', () => {
  const sockets: Socket[] = [];

  const nodes = twoNodes('lists-multi-node-secret-lists-multi-1', { beforeStop: () => sockets.forEach((s) => s.close()) });

  it('tells a follower on node B of a demand recorded on node A, and a department on B of a whistle blown on A', async () => {
    const chair = (await signIn(nodes.a.url, 'chair')).accessToken;
    const me = await api<{ memberships: Array<{ compoundId: string }> }>(nodes.a.url, chair, 'GET', '/me');
    const compoundId = me.memberships[0]!.compoundId;
    const resident = await connect(nodes.b.url, (await signIn(nodes.b.url, 'resident1')).accessToken);
    const street = await connect(nodes.b.url, (await signIn(nodes.b.url, 'street1')).accessToken);
    sockets.push(resident, street);
    await sendCommand(resident, 'lists:follow', { compoundId });

    const heard = next(resident, 'demand');
    const d = await api<{ id: string }>(nodes.a.url, chair, 'POST', `/compounds/${compoundId}/demands`, {
      title: '两个节点：院门口积水',
      category: 'environment',
      channel: 'meeting',
    });
    expect(await heard).toEqual({ compoundId, kind: 'demand', id: d.id });

    const compound = await api<{ organisations: Array<{ id: string; name: string }> }>(
      nodes.a.url,
      chair,
      'GET',
      `/compounds/${compoundId}`,
    );
    const urban = compound.organisations.find((o) => o.name === '麦子店街道城市管理科')!;
    const whistle = next(street, 'whistle');
    const w = await api<{ id: string }>(nodes.a.url, chair, 'POST', `/compounds/${compoundId}/whistles`, {
      demandId: d.id,
      question: '请城管科疏通院门口雨水口',
      deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      organisationIds: [urban.id],
    });
    expect(await whistle).toEqual({ compoundId, kind: 'whistle', id: w.id });
  });
});
