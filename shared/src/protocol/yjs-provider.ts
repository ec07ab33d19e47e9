import { type Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  type CommandName,
  type CommandPayload,
  type CommandResult,
  type CommandSocket,
  sendCommand,
  type ServerEventMap,
} from './socket-contract';
import { wireBytes } from './socket-parser';
import {
  applyAwarenessMessage,
  decodeSyncMessages,
  encodeAwarenessMessage,
  encodeSyncMessage,
  isEmptyUpdate,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './y-sync-wire';

// shared compiles without DOM or Node typings; both have this.
declare const setTimeout: (fn: () => void, ms: number) => unknown;

/** Refusals that may not happen again: the provider joins again rather than giving up. */
const TRANSIENT = ['RATE_LIMITED', 'INTERNAL', 'UNAVAILABLE', 'OUT_OF_SYNC'];

export interface ProviderOptions {
  awareness?: Awareness;
  /** Called when the server refuses something this client sent (read-only, too large, …). */
  onError?: (code: string, message: string) => void;
  /** Called whenever `synced` or the number of unacknowledged updates changes. */
  onStatus?: (status: { synced: boolean; canEdit: boolean; pending: number }) => void;
}

/**
 * Connects a Y.Doc to a Yjs document on the Yishi server over an existing Socket.IO connection,
 * in the browser and in Node. Local edits are sent as y-protocols update messages and counted
 * as pending until the server acknowledges them (it does so after committing them). While the
 * connection is down nothing is sent; on reconnect the two sides exchange state vectors and
 * each sends the other exactly what it lacks, so offline edits arrive then.
 */
export class SocketIOProvider {
  synced = false;
  canEdit = false;
  /** Local edits not yet known to be committed: sent and unanswered, or refused and to be sent again. */
  pending = 0;
  /** Requests sent and not answered yet (in this connection). */
  private inflight = 0;
  /**
   * Something sent was not committed (refused for a passing reason, or its answer was lost with
   * the connection): the edits are still here and go out with the next sync, and until that
   * sync is acknowledged nothing counts as saved.
   */
  private unsaved = false;
  private destroyed = false;
  private retryScheduled = false;
  private readonly idle: Array<() => void> = [];
  private readonly syncWaiters: Array<() => void> = [];
  /** Bumped on every disconnect, so that requests from before are no longer counted. */
  private generation = 0;
  /** The generation in which the current join completed (-1: not joined yet). */
  private joinedGeneration = -1;
  /** The server's state vector from its latest sync step 1, until answered. */
  private serverVector: Uint8Array | null = null;
  /** Local updates made in the current task, sent together as one merged update. */
  private outbox: Uint8Array[] = [];

  constructor(
    private readonly socket: CommandSocket & { connected: boolean },
    readonly docId: string,
    readonly doc: Y.Doc,
    private readonly options: ProviderOptions = {},
  ) {
    doc.on('update', this.onLocalUpdate);
    options.awareness?.on('update', this.onLocalAwareness);
    socket.on('doc:sync', this.onServerSync);
    socket.on('doc:awareness', this.onServerAwareness);
    socket.on('doc:reset', this.onServerReset);
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    if (socket.connected) void this.onConnect();
  }

  /** Resolves once every local edit sent so far has been committed by the server. */
  whenAcknowledged(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Resolves once the first sync with the server is complete. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  destroy(): void {
    this.destroyed = true;
    this.doc.off('update', this.onLocalUpdate);
    this.options.awareness?.off('update', this.onLocalAwareness);
    this.socket.off('doc:sync', this.onServerSync);
    this.socket.off('doc:awareness', this.onServerAwareness);
    this.socket.off('doc:reset', this.onServerReset);
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    if (this.options.awareness) removeAwarenessStates(this.options.awareness, [this.doc.clientID], this);
    this.socket.emit('doc:leave', { docId: this.docId }, () => undefined);
  }

  private readonly onConnect = async () => {
    try {
      const joined = await this.request('doc:join', { docId: this.docId, batched: true });
      this.canEdit = joined.canEdit;
      this.joinedGeneration = this.generation;
      // The answer to the server's sync step 1 carries every edit it lacks, the unsaved ones
      // included: from here on they are counted as that request, in flight.
      this.answerServer();
      this.unsaved = false;
      this.status();
      const { reply } = await this.request('doc:sync', {
        docId: this.docId,
        message: wireBytes(encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(this.doc))),
      });
      if (reply) this.readServerMessage(new Uint8Array(reply));
      this.synced = true;
      this.status();
      for (const resolve of this.syncWaiters.splice(0)) resolve();
      if (this.options.awareness?.getLocalState()) this.sendAwareness([this.doc.clientID]);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'INTERNAL';
      this.options.onError?.(code, (err as Error).message);
      if (TRANSIENT.includes(code)) this.retrySoon();
    }
  };

  /**
   * One retry at a time, however many requests were refused meanwhile: while the server cannot
   * commit, every word typed is refused, and a retry for each would grow without bound.
   */
  private retrySoon(): void {
    if (this.retryScheduled) return;
    this.retryScheduled = true;
    setTimeout(() => {
      this.retryScheduled = false;
      void this.resync();
    }, 500);
  }

  private async resync(): Promise<void> {
    if (this.destroyed || !this.socket.connected) return;
    this.synced = false;
    await this.onConnect();
  }

  private readonly onDisconnect = () => {
    // Acks of requests in flight will never come. Their edits are not lost: after the reconnect
    // the server's sync step 1 makes this client send everything the server lacks, and that
    // request's ack then covers them. Until then they are not saved.
    this.generation++;
    if (this.inflight > 0) this.unsaved = true;
    this.inflight = 0;
    this.synced = false;
    this.status();
  };

  /** The server's copy was loaded again: sync as after a reconnect. */
  private readonly onServerReset = ({ docId }: ServerEventMap['doc:reset']) => {
    if (docId === this.docId && !this.destroyed) void this.resync();
  };

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    // Before this connection's join completes, the answer to the server's sync step 1 carries
    // these edits; after it, they go out as they are made.
    if (origin === this) return;
    if (this.joinedGeneration !== this.generation) {
      // Made offline or before the join: not saved until the next sync sends it.
      if (this.canEdit || this.joinedGeneration === -1) {
        this.unsaved = true;
        this.status();
      }
      return;
    }
    if (!this.canEdit) return;
    // A paste or a burst of typing in one task goes out as one message.
    this.outbox.push(update);
    this.status();
    if (this.outbox.length === 1) {
      void Promise.resolve().then(() => {
        const updates = this.outbox;
        this.outbox = [];
        const [first, ...rest] = updates;
        this.send(first !== undefined && rest.length === 0 ? first : Y.mergeUpdates(updates));
      });
    }
  };

  private readonly onServerSync = ({ docId, message: msg }: ServerEventMap['doc:sync']) => {
    if (docId === this.docId && !this.destroyed) this.readServerMessage(new Uint8Array(msg));
  };

  private readonly onServerAwareness = ({ docId, message: msg }: ServerEventMap['doc:awareness']) => {
    if (docId === this.docId && this.options.awareness) applyAwarenessMessage(this.options.awareness, new Uint8Array(msg), this);
  };

  private readonly onLocalAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin === this || !this.synced) return;
    this.sendAwareness([...added, ...updated, ...removed]);
  };

  private readServerMessage(msg: Uint8Array): void {
    const messages = decodeSyncMessages(msg);
    const updates = messages.filter((m) => m.type === SYNC_STEP_2 || m.type === SYNC_UPDATE);
    // A busy document's updates arrive several to a message: applied in one transaction.
    if (updates.length === 1) Y.applyUpdate(this.doc, updates[0]!.payload, this);
    else if (updates.length > 1) this.doc.transact(() => updates.forEach((u) => Y.applyUpdate(this.doc, u.payload, this)), this);
    for (const m of messages) {
      if (m.type !== SYNC_STEP_1) continue;
      this.serverVector = m.payload;
      this.answerServer();
    }
  }

  /**
   * The server's sync step 1 asks for what it lacks (edits made offline, or before the first
   * sync). It arrives just before the join's ack, so it is answered once this join is done.
   */
  private answerServer(): void {
    if (!this.serverVector || this.joinedGeneration !== this.generation) return;
    const vector = this.serverVector;
    this.serverVector = null;
    if (!this.canEdit) return;
    const missing = Y.encodeStateAsUpdate(this.doc, vector);
    if (!isEmptyUpdate(missing)) this.send(missing, SYNC_STEP_2);
  }

  private send(update: Uint8Array, type = SYNC_UPDATE): void {
    const generation = this.generation;
    this.inflight++;
    this.status();
    this.request('doc:sync', { docId: this.docId, message: wireBytes(encodeSyncMessage(type, update)) })
      .catch((err: Error & { code?: string }) => {
        const code = err.code ?? 'INTERNAL';
        // Refused for a passing reason: not saved. Join again, and the server's sync step 1
        // makes this client send everything the server still lacks, this update included.
        if (TRANSIENT.includes(code)) {
          if (generation === this.generation) this.unsaved = true;
          this.retrySoon();
        } else this.options.onError?.(code, err.message);
      })
      .finally(() => {
        if (generation !== this.generation) return;
        this.inflight--;
        this.status();
      });
  }

  private sendAwareness(ids: number[]): void {
    this.socket.emit(
      'doc:awareness',
      { docId: this.docId, message: wireBytes(encodeAwarenessMessage(this.options.awareness!, ids)) },
      () => undefined,
    );
  }

  private status(): void {
    this.pending = this.outbox.length + this.inflight + (this.unsaved ? 1 : 0);
    this.options.onStatus?.({ synced: this.synced, canEdit: this.canEdit, pending: this.pending });
    if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private request<C extends CommandName>(name: C, payload: CommandPayload<C>): Promise<CommandResult<C>> {
    return sendCommand(this.socket, name, payload);
  }
}
