import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { applyAwarenessMessage, encodeAwarenessMessage, presenceColour } from '@yishi/shared';
import { removeAwarenessStates } from 'y-protocols/awareness';
import { AppError } from '../../infra/errors/app-error';
import { DocStore, type LoadedDoc } from '../documents/doc-store.service';
import { guardAwareness } from './awareness-guard';
import { DocFanout } from './doc-fanout';
import { wire } from './node-wire';
import { type JoinedDoc, rooms, type YishiServer, type YishiSocket } from './realtime-socket';

/** Awareness changes (cursors) are gathered this long before going out. */
const AWARENESS_WINDOW_MS = 100;
const room = rooms.doc;

/**
 * Who is in a document and where their caret is (y-protocols awareness), relayed between its
 * followers on every node. A socket's updates are checked and rewritten by guardAwareness (it
 * speaks only for its own client ids, under the name the server knows), applied to the node's
 * copy, and gathered for a moment before going out; its states are removed when it leaves.
 */
@Injectable()
export class DocAwarenessRelay implements OnModuleDestroy {
  private server!: YishiServer;
  private readonly awarenessOut = new Map<string, Set<number>>();
  /** The gathering timers by document; cleared when the node shuts down. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Shutting down: nothing more is relayed (the cross-node channel may already be closed). */
  private closed = false;
  private readonly hooked = new WeakSet<object>();
  /** Awareness client ids each socket speaks for, per document, to remove when it leaves. */
  private readonly clientIds = new Map<string, Map<string, Set<number>>>();
  /** Per document, which local socket speaks for each client id. */
  private readonly owners = new Map<string, Map<number, string>>();

  constructor(
    private readonly docs: DocStore,
    private readonly fanout: DocFanout,
  ) {}

  /** Called once, by the docs gateway, when the Socket.IO server exists. */
  attach(server: YishiServer): void {
    this.server = server;
    server.on('doc:awareness', (docId, message) => {
      const bytes = new Uint8Array(message);
      void this.docs.peek(docId)?.then(
        (d) => {
          try {
            applyAwarenessMessage(d.awareness, bytes, 'remote');
          } catch {
            return;
          }
          server.local.to(room(docId)).emit('doc:awareness', { docId, message: wire(bytes) });
        },
        () => undefined,
      );
    });
  }

  /** Relays this node's clients' awareness changes, gathered, to everyone (cursors and names). */
  hook(loaded: LoadedDoc): void {
    const awareness = loaded.awareness;
    if (this.hooked.has(awareness)) return;
    this.hooked.add(awareness);
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === 'remote' || this.closed) return;
      const changed = [...added, ...updated, ...removed];
      let pending = this.awarenessOut.get(loaded.id);
      if (!pending) {
        pending = new Set();
        this.awarenessOut.set(loaded.id, pending);
        const timer = setTimeout(() => {
          this.timers.delete(loaded.id);
          const ids = [...this.awarenessOut.get(loaded.id)!].filter((id) => awareness.meta.has(id));
          this.awarenessOut.delete(loaded.id);
          if (ids.length === 0) return;
          const message = encodeAwarenessMessage(awareness, ids);
          this.server.local.to(room(loaded.id)).emit('doc:awareness', { docId: loaded.id, message: wire(message) });
          this.fanout.toOtherNodes('doc:awareness', loaded.id, message);
        }, AWARENESS_WINDOW_MS).unref();
        this.timers.set(loaded.id, timer);
      }
      for (const id of changed) pending.add(id);
    });
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.awarenessOut.clear();
  }

  /** Everyone's current state, for a socket that just joined. */
  sendStates(s: YishiSocket, loaded: LoadedDoc): void {
    const states = [...loaded.awareness.getStates().keys()];
    if (states.length) s.emit('doc:awareness', { docId: loaded.id, message: wire(encodeAwarenessMessage(loaded.awareness, states)) });
  }

  /** A socket's awareness update: checked, rewritten, then applied to this node's copy. */
  async receive(s: YishiSocket, docId: string, joined: JoinedDoc, message: Uint8Array): Promise<void> {
    const loaded = await this.docs.get(docId);
    const owned = this.ownedBy(s.id, docId);
    const owners = this.owners.get(docId) ?? new Map<number, string>();
    this.owners.set(docId, owners);
    const { update, claimed } = guardAwareness(
      message,
      // Only this node's sockets are known; a client id last seen on another node may move here with its client.
      { owned, heldByOther: (id) => owners.has(id) && owners.get(id) !== s.id },
      { name: s.data.displayName, color: presenceColour(s.data.displayName), role: joined.role },
    );
    for (const id of claimed) {
      owned.add(id);
      owners.set(id, s.id);
    }
    try {
      applyAwarenessMessage(loaded.awareness, update, s.id);
    } catch {
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'not a y-protocols awareness update' }] });
    }
  }

  /** The socket left the document: the states it spoke for go. */
  forget(socketId: string, docId: string): void {
    const ids = this.clientIds.get(socketId)?.get(docId);
    if (ids?.size) {
      const owners = this.owners.get(docId);
      for (const id of ids) if (owners?.get(id) === socketId) owners.delete(id);
      if (owners?.size === 0) this.owners.delete(docId);
      void this.docs.peek(docId)?.then(
        (d) => removeAwarenessStates(d.awareness, [...ids], 'left'),
        () => undefined,
      );
    }
    this.clientIds.get(socketId)?.delete(docId);
    if (this.clientIds.get(socketId)?.size === 0) this.clientIds.delete(socketId);
  }

  private ownedBy(socketId: string, docId: string): Set<number> {
    const bySocket = this.clientIds.get(socketId) ?? new Map<string, Set<number>>();
    this.clientIds.set(socketId, bySocket);
    const ids = bySocket.get(docId) ?? new Set<number>();
    bySocket.set(docId, ids);
    return ids;
  }
}
