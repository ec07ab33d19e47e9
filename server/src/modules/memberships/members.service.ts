import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MembershipView, MemberView, MeView, RegisterProxyRequest } from '@yishi/shared';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { Household } from '../compounds/compound.entities';
import { householdLabels } from '../compounds/household-labels';
import { User } from '../users/user.entity';
import { toUserSummary } from '../users/user.view';
import type { CompoundAccess } from './compound-access';
import { Membership } from './membership.entities';

/** Who belongs to a compound in which role, and who votes for each household. */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async displayName(userId: string): Promise<string> {
    return (await this.db.getRepository(User).findOneByOrFail({ id: userId })).displayName;
  }

  async me(userId: string): Promise<MeView> {
    const user = await this.db.getRepository(User).findOneByOrFail({ id: userId });
    const memberships = await this.db.getRepository(Membership).find({ where: { userId }, order: { createdAt: 'ASC' } });
    return { user: toUserSummary(user), memberships: await this.membershipViews(this.db.manager, memberships) };
  }

  async membershipViews(tx: EntityManager | undefined, rows: Membership[]): Promise<MembershipView[]> {
    if (rows.length === 0) return [];
    const m = tx ?? this.db.manager;
    const compounds: Array<{ id: string; name: string; community: string }> = await m.query(
      `SELECT c.id, c.name, cm.name AS community FROM compound c JOIN community cm ON cm.id = c.community_id WHERE c.id = ANY($1)`,
      [[...new Set(rows.map((r) => r.compoundId))]],
    );
    const byId = new Map(compounds.map((c) => [c.id, c]));
    const placeOf = await this.places(m, rows);
    return rows.map((r) => ({
      id: r.id,
      compoundId: r.compoundId,
      compoundName: byId.get(r.compoundId)!.name,
      communityName: byId.get(r.compoundId)!.community,
      role: r.role,
      ...placeOf(r),
      partyMember: r.partyMember,
    }));
  }

  async list(compoundId: string): Promise<MemberView[]> {
    const rows = await this.db.getRepository(Membership).find({ where: { compoundId }, order: { createdAt: 'ASC' } });
    const users = await this.db.getRepository(User).findBy({ id: In([...new Set(rows.map((r) => r.userId))]) });
    const userById = new Map(users.map((u) => [u.id, u]));
    const placeOf = await this.places(this.db.manager, rows);
    return rows.map((r) => ({
      membershipId: r.id,
      user: toUserSummary(userById.get(r.userId)!),
      role: r.role,
      ...placeOf(r),
      partyMember: r.partyMember,
      joinedAt: r.createdAt.toISOString(),
    }));
  }

  /** Removes one role of a member. The compound always keeps at least one chair. */
  async remove(compoundId: string, membershipId: string): Promise<void> {
    await this.db
      .transaction(async (m) => {
        const target = await m.findOneBy(Membership, { id: membershipId, compoundId });
        if (!target) throw new AppError('NOT_FOUND');
        if (target.role === 'chair') {
          // Lock the compound's chairs so two chairs removing each other cannot leave none.
          const chairs = await m.query(`SELECT id FROM membership WHERE compound_id = $1 AND role = 'chair' FOR UPDATE`, [compoundId]);
          if (chairs.length <= 1) throw new AppError('CONFLICT', { message: 'a compound keeps at least one chair' });
        }
        if (target.householdId) {
          await m.update(Household, { id: target.householdId, voterUserId: target.userId }, { voterUserId: null });
          await m.update(Household, { id: target.householdId, proxyUserId: target.userId }, { proxyUserId: null, proxyNote: null });
        }
        await m.delete(Membership, { id: target.id });
        return target;
      })
      .then((target) => this.events.emit('membership.changed', { userId: target.userId, compoundId }));
  }

  /**
   * Marks or unmarks a member as a party member (党员) of the compound. The mark belongs to the
   * person, so it is written on every role they hold there, and party meetings invite them.
   */
  async setPartyMember(compoundId: string, userId: string, partyMember: boolean): Promise<void> {
    const changed = await this.db.getRepository(Membership).update({ compoundId, userId }, { partyMember });
    if (!changed.affected) throw new AppError('NOT_FOUND');
  }

  /** The household's designated voter must be a resident member of that household. */
  async setVoter(compoundId: string, householdId: string, userId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const household = await m.findOneBy(Household, { id: householdId, compoundId });
      if (!household) throw new AppError('NOT_FOUND');
      const member = await m.existsBy(Membership, { compoundId, householdId, userId, role: In(['resident', 'gate_leader']) });
      if (!member) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'userId', message: 'not a member of this household' }] });
      await m.update(Household, { id: householdId }, { voterUserId: userId });
    });
  }

  /**
   * Registers (or clears) the proxy who may cast the household's ballot. A gate leader may do so
   * only for households of the gate they lead. The proxy must be a member of the compound.
   */
  async registerProxy(access: CompoundAccess, actorId: string, householdId: string, req: RegisterProxyRequest): Promise<void> {
    const { compoundId } = access;
    await this.db.transaction(async (m) => {
      const household = await m.findOneBy(Household, { id: householdId, compoundId });
      if (!household) throw new AppError('NOT_FOUND');
      if (!access.roles.includes('chair')) {
        const gates = access.memberships.filter((x) => x.role === 'gate_leader').map((x) => x.gateId);
        if (!household.gateId || !gates.includes(household.gateId)) throw new AppError('OUTSIDE_YOUR_GATE');
      }
      if (req.userId && !(await m.existsBy(Membership, { compoundId, userId: req.userId }))) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'userId', message: 'not a member of this compound' }] });
      }
      await m.update(
        Household,
        { id: householdId },
        req.userId
          ? { proxyUserId: req.userId, proxyNote: req.note ?? null, proxyRegisteredBy: actorId, proxyRegisteredAt: new Date() }
          : { proxyUserId: null, proxyNote: null, proxyRegisteredBy: actorId, proxyRegisteredAt: new Date() },
      );
    });
  }

  /** Where each membership places its user: household (with its label), gate, organisation. */
  private async places(m: EntityManager, rows: Membership[]) {
    const labels = await householdLabels(
      m,
      rows.map((r) => r.householdId),
    );
    const orgs = await this.organisationNames(
      m,
      rows.map((r) => r.organisationId),
    );
    return (r: Membership) => ({
      householdId: r.householdId,
      householdLabel: r.householdId ? (labels.get(r.householdId) ?? null) : null,
      gateId: r.gateId,
      organisationId: r.organisationId,
      organisationName: r.organisationId ? (orgs.get(r.organisationId) ?? null) : null,
    });
  }

  private async organisationNames(m: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    if (wanted.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await m.query(`SELECT id, name FROM organisation WHERE id = ANY($1)`, [wanted]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
