import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConnectedSocket, MessageBody, type OnGatewayDisconnect, type OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { type Ack, DOC_ACTIONS, type DocCommand, docCommandSchemas, type DocCommandResults, presenceColour } from '@yishi/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { AccessService } from '../auth/access.service';
import { DocStore, type LoadedDoc } from '../documents/doc-store.service';
import { ProposalsService } from '../proposals/proposals.service';
import { guardAwareness } from './awareness-guard';
import { TokenBucket } from './rate-limiter';
import { socketCommand } from './socket-command';
import type { SocketData } from './realtime.gateway';

// y-protocols message types (y-protocols/sync).
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const UPDATE = 2;
/** Awareness changes (cursors) are gathered this long before going out. */
const AWARENESS_WINDOW_MS = 100;

interface JoinedDoc {
  compoundId: string;
  canEdit: boolean;
  /** The role shown beside the user's name in others' presence. */
  role: string;
}
type DocSocket = Socket<any, any, any, SocketData & { docs?: Record<string, JoinedDoc> }>;
const room = (docId: string) => `doc:${docId}`;

/**
 * Binary for a client, as a Buffer: the msgpack parser's notepack encodes a Buffer as msgpack
 * bin, which browsers decode as an ArrayBuffer, but a plain Uint8Array as an ext type, which the
 * browser decoder hands over as a [type, bytes] pair (see shared/src/protocol/socket-parser.spec.ts).
 */
function wire(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function syncMessage(type: number, payload: Uint8Array): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return wire(encoding.toUint8Array(e));
}

/**
 * Co-edited documents over the same Socket.IO connection as meetings. The y-protocols messages
 * arrive unchanged; the gateway reads only their type to enforce rights (the sync protocol has
 * none of its own) and hands their content to the DocStore, which does all Yjs work in bounded
 * worker threads and commits every update before it is acknowledged. Committed changes go out
 * once per commit batch, merged, to this node's followers and through the adapter
 * (`serverSideEmit`) to the other nodes, which apply them to their own copy and pass them on.
 * After the cross-node channel was down, every node catches its documents up from the database.
 */
@WebSocketGateway()
export class DocsGateway implements OnGatewayInit, OnGatewayDisconnect {
  @WebSocketServer() private server!: Server;
  private readonly buckets = new WeakMap<DocSocket, TokenBucket>();
  private readonly awarenessOut = new Map<string, Set<number>>();
  private readonly hooked = new WeakSet<object>();
  /** Awareness client ids each socket speaks for, per document, to remove when it leaves. */
  private readonly clientIds = new Map<string, Map<string, Set<number>>>();
  /** Per document, which local socket speaks for each client id. */
  private readonly owners = new Map<string, Map<number, string>>();

  constructor(
    private readonly access: AccessService,
    private readonly proposals: ProposalsService,
    private readonly docs: DocStore,
    private readonly events: DomainEvents,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Tells the other nodes (there are some only with Redis). */
  private toOtherNodes(event: string, docId: string, bytes: Uint8Array): void {
    if (this.config.REDIS_URL) this.server.serverSideEmit(event, docId, wire(bytes));
  }

  afterInit(server: Server): void {
    server.on('doc:updates', (docId: string, update: Uint8Array) => {
      void this.docs.applyRemote(docId, new Uint8Array(update)).then((delta) => {
        if (delta) server.local.to(room(docId)).emit('doc:sync', { docId, message: syncMessage(UPDATE, delta) });
      });
    });
    server.on('doc:awareness', (docId: string, message: Uint8Array) => {
      const bytes = new Uint8Array(message);
      void this.docs.peek(docId)?.then((d) => {
        try {
          applyAwarenessUpdate(d.awareness, bytes, 'remote');
        } catch {
          return;
        }
        server.local.to(room(docId)).emit('doc:awareness', { docId, message: wire(bytes) });
      }, () => undefined);
    });
    this.docs.onCommitted = (docId, update, authors, fromHere) => {
      // A batch from one socket need not go back to it: it has those edits already.
      const to = server.local.to(room(docId));
      (authors.size === 1 ? to.except(authors.values().next().value!) : to).emit('doc:sync', { docId, message: syncMessage(UPDATE, update) });
      if (fromHere) this.toOtherNodes('doc:updates', docId, update);
    };
    this.docs.onReset = (docId) => server.local.to(room(docId)).emit('doc:reset', { docId });
    this.events.on('membership.changed', (c) => void this.reauthorize(c.userId, c.compoundId));
    this.events.on('proposal.edit_rights', ({ proposalId }) => void this.reauthorizeEditors(proposalId));
    this.events.on('comments.changed', ({ proposalId }) => server.to(room(proposalId)).emit('doc:comments', { docId: proposalId }));
    this.events.on('doc.quarantined', (q) => void this.tellChairs(q.docId, q.updates.length));
    this.events.on('crossnode.restored', () => void this.docs.refreshAll());
  }

  handleDisconnect(socket: DocSocket): void {
    for (const docId of Object.keys(socket.data?.docs ?? {})) this.leaveDoc(socket, docId);
  }

  @SubscribeMessage('doc:join')
  join(@ConnectedSocket() s: DocSocket, @MessageBody() body: unknown) {
    return this.command(s, 'doc:join', body, async (p) => {
      const owner = await this.proposals.compoundOf(p.docId);
      if (!owner) throw new AppError('NOT_FOUND');
      const access = await this.access.authorize(s.data.userId, owner.compoundId, DOC_ACTIONS.follow);
      // Role, the chair's invitation to this proposal, and its status (adopted is read-only).
      const canEdit = await this.proposals.canEdit(p.docId, s.data.userId, access.roles);
      const loaded = await this.docs.get(p.docId);
      this.hook(loaded);
      await s.join(room(p.docId));
      this.docs.follow(loaded, s.id);
      s.data.docs = { ...s.data.docs, [p.docId]: { compoundId: owner.compoundId, canEdit, role: access.roles[0] ?? 'observer' } };
      // The server's sync step 1 (of what is committed): the client answers with whatever the
      // server lacks (offline edits).
      s.emit('doc:sync', { docId: p.docId, message: syncMessage(SYNC_STEP_1, await this.docs.stateVector(loaded)) });
      const states = [...loaded.awareness.getStates().keys()];
      if (states.length) s.emit('doc:awareness', { docId: p.docId, message: wire(encodeAwarenessUpdate(loaded.awareness, states)) });
      return { canEdit };
    });
  }

  @SubscribeMessage('doc:leave')
  leave(@ConnectedSocket() s: DocSocket, @MessageBody() body: unknown) {
    return this.command(s, 'doc:leave', body, async (p) => {
      this.leaveDoc(s, p.docId);
      return {};
    });
  }

  @SubscribeMessage('doc:sync')
  sync(@ConnectedSocket() s: DocSocket, @MessageBody() body: unknown) {
    return this.command(s, 'doc:sync', body, async (p) => {
      const joined = this.joined(s, p.docId);
      const message = new Uint8Array(p.message);
      let type: number;
      let payload: Uint8Array;
      try {
        const d = decoding.createDecoder(message);
        type = decoding.readVarUint(d);
        payload = decoding.readVarUint8Array(d);
      } catch {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'not a y-protocols sync message' }] });
      }
      if (type === SYNC_STEP_1) {
        const loaded = await this.docs.get(p.docId);
        // An empty state vector (one zero byte): a newcomer, who gets the cached whole document.
        const all = payload.length === 1 && payload[0] === 0;
        return { reply: syncMessage(SYNC_STEP_2, await this.docs.diff(loaded, all ? null : payload, s.data.userId)) };
      }
      if (type !== SYNC_STEP_2 && type !== UPDATE) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'unknown sync message type' }] });
      if (!joined.canEdit) {
        // A read-only client's answer to sync step 1 is empty (no structs, no deletions: two
        // zero bytes); anything else would be an edit.
        if (payload.length <= 2 && payload.every((b) => b === 0)) return {};
        throw new AppError('FORBIDDEN');
      }
      await this.docs.append(p.docId, payload, s.data.userId, s.id);
      return {};
    });
  }

  @SubscribeMessage('doc:awareness')
  awareness(@ConnectedSocket() s: DocSocket, @MessageBody() body: unknown) {
    return this.command(s, 'doc:awareness', body, async (p) => {
      const joined = this.joined(s, p.docId);
      const loaded = await this.docs.get(p.docId);
      const owned = this.ownedBy(s.id, p.docId);
      const owners = this.owners.get(p.docId) ?? new Map<number, string>();
      this.owners.set(p.docId, owners);
      const { update, claimed } = guardAwareness(
        new Uint8Array(p.message),
        // Only this node's sockets are known; a client id last seen on another node may move here with its client.
        { owned, heldByOther: (id) => owners.has(id) && owners.get(id) !== s.id },
        { name: s.data.displayName, color: presenceColour(s.data.displayName), role: joined.role },
      );
      for (const id of claimed) {
        owned.add(id);
        owners.set(id, s.id);
      }
      try {
        applyAwarenessUpdate(loaded.awareness, update, s.id);
      } catch {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'not a y-protocols awareness update' }] });
      }
      return {};
    });
  }

  /** Relays this node's clients' awareness changes, gathered, to everyone (cursors and names). */
  private hook(loaded: LoadedDoc): void {
    const awareness = loaded.awareness;
    if (this.hooked.has(awareness)) return;
    this.hooked.add(awareness);
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === 'remote') return;
      const changed = [...added, ...updated, ...removed];
      let pending = this.awarenessOut.get(loaded.id);
      if (!pending) {
        pending = new Set();
        this.awarenessOut.set(loaded.id, pending);
        setTimeout(() => {
          const ids = [...this.awarenessOut.get(loaded.id)!].filter((id) => awareness.meta.has(id));
          this.awarenessOut.delete(loaded.id);
          if (ids.length === 0) return;
          const message = encodeAwarenessUpdate(awareness, ids);
          this.server.local.to(room(loaded.id)).emit('doc:awareness', { docId: loaded.id, message: wire(message) });
          this.toOtherNodes('doc:awareness', loaded.id, message);
        }, AWARENESS_WINDOW_MS).unref();
      }
      for (const id of changed) pending.add(id);
    });
  }

  private ownedBy(socketId: string, docId: string): Set<number> {
    const bySocket = this.clientIds.get(socketId) ?? new Map<string, Set<number>>();
    this.clientIds.set(socketId, bySocket);
    const ids = bySocket.get(docId) ?? new Set<number>();
    bySocket.set(docId, ids);
    return ids;
  }

  private leaveDoc(s: DocSocket, docId: string): void {
    void s.leave(room(docId));
    if (s.data?.docs) delete s.data.docs[docId];
    this.docs.unfollow(docId, s.id);
    const ids = this.clientIds.get(s.id)?.get(docId);
    if (ids?.size) {
      const owners = this.owners.get(docId);
      for (const id of ids) if (owners?.get(id) === s.id) owners.delete(id);
      if (owners?.size === 0) this.owners.delete(docId);
      void this.docs.peek(docId)?.then((d) => removeAwarenessStates(d.awareness, [...ids], 'left'), () => undefined);
    }
    this.clientIds.get(s.id)?.delete(docId);
    if (this.clientIds.get(s.id)?.size === 0) this.clientIds.delete(s.id);
  }

  private joined(s: DocSocket, docId: string): JoinedDoc {
    const j = s.data.docs?.[docId];
    if (!j || !s.rooms.has(room(docId))) throw new AppError('NOT_FOUND', { message: 'join the document first' });
    return j;
  }

  /** After a membership change the user's sockets leave the documents of that compound; they may join again. */
  private async reauthorize(userId: string, compoundId: string): Promise<void> {
    for (const s of await this.server.in(`user:${userId}`).fetchSockets()) {
      const docs = (s.data as { docs?: Record<string, { compoundId: string }> }).docs ?? {};
      for (const [docId, j] of Object.entries(docs)) if (j.compoundId === compoundId) s.leave(room(docId));
    }
  }

  /** After who may edit a proposal changed: its editors who no longer may leave the document; they may join again, read-only. */
  private async reauthorizeEditors(docId: string): Promise<void> {
    for (const s of await this.server.in(room(docId)).fetchSockets()) {
      const data = s.data as SocketData & { docs?: Record<string, { compoundId: string; canEdit: boolean }> };
      const j = data.docs?.[docId];
      if (!j?.canEdit) continue;
      const access = await this.access.authorize(data.userId, j.compoundId, DOC_ACTIONS.follow).catch(() => null);
      if (!access || !(await this.proposals.canEdit(docId, data.userId, access.roles))) s.leave(room(docId));
    }
  }

  /** The chairs of the document's compound learn that stored edits were set aside. */
  private async tellChairs(docId: string, count: number): Promise<void> {
    try {
      const chairs: Array<{ user_id: string }> = await this.db.query(
        `SELECT DISTINCT m.user_id FROM membership m JOIN proposal p ON p.compound_id = m.compound_id WHERE p.id = $1 AND m.role = 'chair'`,
        [docId],
      );
      for (const c of chairs) this.server.to(`user:${c.user_id}`).emit('doc:quarantined', { docId, count });
    } catch (err) {
      this.log.warn({ err, docId }, 'could not tell the chairs about quarantined updates');
    }
  }

  private command<C extends DocCommand, R extends object>(
    socket: DocSocket,
    name: C,
    body: unknown,
    run: (payload: z.output<(typeof docCommandSchemas)[C]>) => Promise<R>,
  ): Promise<Ack<DocCommandResults[C]>> {
    let bucket = this.buckets.get(socket);
    if (!bucket) this.buckets.set(socket, (bucket = new TokenBucket(200, 100)));
    return socketCommand({ name, schema: docCommandSchemas[name], body, limits: [bucket], socket, log: this.log }, async (payload) => {
      return (await run(payload as z.output<(typeof docCommandSchemas)[C]>)) as unknown as DocCommandResults[C];
    });
  }
}
