/**
 * How many sockets one account and one client address may hold open on this node. Checked and
 * counted at the handshake, before the connection is accepted, so a storm of connections is
 * refused before any of them costs more than its handshake.
 */
export class ConnectionLimits {
  /** Socket ids by account and by address, with when they were let in. */
  private readonly byUser = new Map<string, Map<string, number>>();
  private readonly byAddress = new Map<string, Map<string, number>>();

  constructor(
    private readonly perUser: number,
    private readonly perAddress: number,
    /** Whether a socket is still connected, to forget ids whose disconnect was never seen. */
    private readonly isOpen: (socketId: string) => boolean,
  ) {}

  /** Counts the socket in, or says which limit it is over. */
  admit(socketId: string, userId: string, address: string): 'user' | 'address' | null {
    const users = this.entry(this.byUser, userId);
    const addresses = this.entry(this.byAddress, address);
    if (!this.hasRoom(users, this.perUser)) return 'user';
    if (!this.hasRoom(addresses, this.perAddress)) return 'address';
    const now = Date.now();
    users.set(socketId, now);
    addresses.set(socketId, now);
    return null;
  }

  release(socketId: string, userId: string | undefined, address: string): void {
    if (userId) this.remove(this.byUser, userId, socketId);
    this.remove(this.byAddress, address, socketId);
  }

  private entry(map: Map<string, Map<string, number>>, key: string): Map<string, number> {
    let m = map.get(key);
    if (!m) map.set(key, (m = new Map()));
    return m;
  }

  private hasRoom(ids: Map<string, number>, limit: number): boolean {
    if (ids.size < limit) return true;
    // Handshakes admitted in the last seconds may not be connected yet; older ids that are not
    // connected were dropped without a disconnect reaching us.
    const stale = Date.now() - 10_000;
    for (const [id, at] of ids) if (at < stale && !this.isOpen(id)) ids.delete(id);
    return ids.size < limit;
  }

  private remove(map: Map<string, Map<string, number>>, key: string, socketId: string): void {
    const m = map.get(key);
    if (!m) return;
    m.delete(socketId);
    if (m.size === 0) map.delete(key);
  }
}
