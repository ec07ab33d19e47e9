import { Inject } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayDisconnect, type OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { type Ack, allows, DOC_ACTIONS, type DocCommand, docCommandSchemas, type DocCommandResults } from '@yishi/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { AccessService } from '../auth/access.service';
import { DocStore, type LoadedDoc } from '../docs/doc-store.service';
import { ProposalsService } from '../proposals/proposals.service';
import { TokenBucket } from './rate-limiter';
import { socketCommand } from './socket-command';
import type { SocketData } from './realtime.gateway';

// y-protocols message types (y-protocols/sync).
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const UPDATE = 2;
/** Updates to one document arriving within this window go out as one merged message. */
const MERGE_WINDOW_MS = 5;
/** Awareness changes (cursors) are gathered this long before going out. */
const AWARENESS_WINDOW_MS = 100;

type DocSocket = Socket<any, any, any, SocketData & { docs?: Record<string, { compoundId: string; canEdit: boolean }> }>;
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
 * none of its own), commits every update before acknowledging it, and fans updates out merged.
 * Other nodes receive committed updates through the adapter (`serverSideEmit`) and apply them to
 * their own copy of the document before passing them to their sockets.
 */
@WebSocketGateway()
export class DocsGateway implements OnGatewayInit, OnGatewayDisconnect {
  @WebSocketServer() private server!: Server;
  private readonly buckets = new WeakMap<DocSocket, TokenBucket>();
  private readonly outgoing = new Map<string, { updates: Uint8Array[]; authors: Set<string> }>();
  private readonly awarenessOut = new Map<string, Set<number>>();
  private readonly hooked = new WeakSet<object>();
  /** Awareness client ids each socket introduced, per document, to remove when it leaves. */
  private readonly clientIds = new Map<string, Map<string, Set<number>>>();

  constructor(
    private readonly access: AccessService,
    private readonly proposals: ProposalsService,
    private readonly docs: DocStore,
    private readonly events: DomainEvents,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Tells the other nodes (there are some only with Redis). */
  private toOtherNodes(event: string, docId: string, bytes: Uint8Array): void {
    if (this.config.REDIS_URL) this.server.serverSideEmit(event, docId, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  afterInit(server: Server): void {
    server.on('doc:updates', (docId: string, update: Uint8Array) => {
      void this.docs.applyRemote(docId, new Uint8Array(update), 'remote').then(() => {
        server.local.to(room(docId)).emit('doc:sync', { docId, message: syncMessage(UPDATE, new Uint8Array(update)) });
      });
    });
    server.on('doc:awareness', (docId: string, message: Uint8Array) => {
      void this.docs.peek(docId)?.then((d) => applyAwarenessUpdate(d.awareness, new Uint8Array(message), 'remote'));
      server.local.to(room(docId)).emit('doc:awareness', { docId, message: wire(new Uint8Array(message)) });
    });
    this.events.on('membership.changed', (c) => void this.reauthorize(c.userId, c.compoundId));
    this.events.on('comments.changed', ({ proposalId }) => server.to(room(proposalId)).emit('doc:comments', { docId: proposalId }));
    this.docs.onReset = (loaded) => this.hook(loaded);
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
      const canEdit = allows(access.roles, DOC_ACTIONS.edit);
      const loaded = await this.docs.get(p.docId);
      this.hook(loaded);
      await s.join(room(p.docId));
      this.docs.follow(loaded, s.id);
      s.data.docs = { ...s.data.docs, [p.docId]: { compoundId: owner.compoundId, canEdit } };
      // The server's sync step 1: the client answers with whatever the server lacks (offline edits).
      s.emit('doc:sync', { docId: p.docId, message: syncMessage(SYNC_STEP_1, Y.encodeStateVector(loaded.doc)) });
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
        return { reply: syncMessage(SYNC_STEP_2, all ? this.docs.encodeAll(loaded) : Y.encodeStateAsUpdate(loaded.doc, payload)) };
      }
      if (type !== SYNC_STEP_2 && type !== UPDATE) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'unknown sync message type' }] });
      if (!joined.canEdit) {
        // A read-only client's answer to sync step 1 is empty; anything else would be an edit.
        const summary = await this.docs.inspect(payload);
        if (summary.structs === 0 && summary.deletes === 0) return {};
        throw new AppError('FORBIDDEN');
      }
      if (await this.docs.append(p.docId, payload, s.data.userId, s.id)) this.queueBroadcast(p.docId, payload, s.id);
      return {};
    });
  }

  @SubscribeMessage('doc:awareness')
  awareness(@ConnectedSocket() s: DocSocket, @MessageBody() body: unknown) {
    return this.command(s, 'doc:awareness', body, async (p) => {
      this.joined(s, p.docId);
      const loaded = await this.docs.get(p.docId);
      try {
        applyAwarenessUpdate(loaded.awareness, new Uint8Array(p.message), s.id);
      } catch {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'not a y-protocols awareness update' }] });
      }
      return {};
    });
  }

  // ----- fan-out -----

  private queueBroadcast(docId: string, update: Uint8Array, author: string): void {
    const pending = this.outgoing.get(docId);
    if (pending) {
      pending.updates.push(update);
      pending.authors.add(author);
      return;
    }
    this.outgoing.set(docId, { updates: [update], authors: new Set([author]) });
    setTimeout(() => {
      const { updates, authors } = this.outgoing.get(docId)!;
      this.outgoing.delete(docId);
      const merged = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
      // A batch from one socket need not go back to it: it has those edits already.
      const to = this.server.local.to(room(docId));
      (authors.size === 1 ? to.except(authors.values().next().value!) : to).emit('doc:sync', { docId, message: syncMessage(UPDATE, merged) });
      this.toOtherNodes('doc:updates', docId, merged);
    }, MERGE_WINDOW_MS).unref();
  }

  /** Relays this node's clients' awareness changes, gathered, to everyone (cursors and names). */
  private hook(loaded: LoadedDoc): void {
    const awareness = loaded.awareness;
    if (this.hooked.has(awareness)) return;
    this.hooked.add(awareness);
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === 'remote') return;
      if (typeof origin === 'string') {
        const bySocket = this.clientIds.get(origin) ?? new Map<string, Set<number>>();
        this.clientIds.set(origin, bySocket);
        const ids = bySocket.get(loaded.id) ?? new Set<number>();
        bySocket.set(loaded.id, ids);
        for (const id of added) ids.add(id);
      }
      const changed = [...added, ...updated, ...removed];
      let pending = this.awarenessOut.get(loaded.id);
      if (!pending) {
        pending = new Set();
        this.awarenessOut.set(loaded.id, pending);
        setTimeout(() => {
          const ids = [...this.awarenessOut.get(loaded.id)!].filter((id) => awareness.meta.has(id));
          this.awarenessOut.delete(loaded.id);
          // The document may have been rebuilt meanwhile, with a new awareness: this one is gone.
          if (ids.length === 0 || loaded.awareness !== awareness) return;
          const message = encodeAwarenessUpdate(awareness, ids);
          this.server.local.to(room(loaded.id)).emit('doc:awareness', { docId: loaded.id, message: wire(message) });
          this.toOtherNodes('doc:awareness', loaded.id, message);
        }, AWARENESS_WINDOW_MS).unref();
      }
      for (const id of changed) pending.add(id);
    });
  }

  private leaveDoc(s: DocSocket, docId: string): void {
    void s.leave(room(docId));
    if (s.data?.docs) delete s.data.docs[docId];
    this.docs.unfollow(docId, s.id);
    const ids = this.clientIds.get(s.id)?.get(docId);
    if (ids?.size) void this.docs.peek(docId)?.then((d) => removeAwarenessStates(d.awareness, [...ids], 'left'));
    this.clientIds.get(s.id)?.delete(docId);
    if (this.clientIds.get(s.id)?.size === 0) this.clientIds.delete(s.id);
  }

  private joined(s: DocSocket, docId: string): { compoundId: string; canEdit: boolean } {
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
