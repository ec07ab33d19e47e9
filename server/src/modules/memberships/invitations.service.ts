import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type createInvitationSchema, type InvitationView, type MembershipView, ROLE_ORGANISATION_KIND } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { Household, Owner } from '../compounds/compound.entities';
import { householdLabels } from '../compounds/household-labels';
import { OrganisationMember } from '../organisations/organisation.entities';
import { User } from '../users/user.entity';
import type { CompoundAccess } from './compound-access';
import { Invitation, Membership } from './membership.entities';
import { MembersService } from './members.service';

/** Letters and digits that cannot be mistaken for one another when read aloud or off paper. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Invitation codes: issued by the chair or a gate leader, redeemed to join a compound in a role. */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly members: MembersService,
  ) {}

  async create(access: CompoundAccess, actorId: string, req: z.output<typeof createInvitationSchema>): Promise<InvitationView> {
    const { compoundId } = access;
    return this.db.transaction(async (m) => {
      const household = req.householdId ? await m.findOneBy(Household, { id: req.householdId, compoundId }) : null;
      if (req.householdId && !household) throw fieldError('householdId', 'no such household in this compound');
      if (req.gateId && !(await gateInCompound(m, req.gateId, compoundId)))
        throw fieldError('gateId', 'no such building gate in this compound');
      if (req.organisationId) {
        const org = await m.query(
          `SELECT o.kind FROM organisation o JOIN compound c ON c.community_id = o.community_id WHERE o.id = $1 AND c.id = $2`,
          [req.organisationId, compoundId],
        );
        if (org.length === 0) throw fieldError('organisationId', 'no such organisation in this community');
        const kind = ROLE_ORGANISATION_KIND[req.role];
        if (kind && org[0].kind !== kind) throw fieldError('organisationId', `the organisation is not a ${kind}`);
      }
      if (!access.roles.includes('chair')) {
        // A gate leader may only invite residents of the gate they lead.
        const gates = access.memberships.filter((x) => x.role === 'gate_leader').map((x) => x.gateId);
        if (req.role !== 'resident' || !household?.gateId || !gates.includes(household.gateId)) throw new AppError('OUTSIDE_YOUR_GATE');
      }
      for (;;) {
        const code = newCode();
        const taken = await m.existsBy(Invitation, { code });
        if (taken) continue;
        const saved = await m.save(
          m.create(Invitation, {
            code,
            compoundId,
            role: req.role,
            householdId: req.householdId ?? null,
            gateId: req.gateId ?? null,
            organisationId: req.organisationId ?? null,
            designatedVoter: req.designatedVoter,
            expiresAt: new Date(Date.now() + req.expiresInHours * 3600_000),
            maxUses: req.maxUses,
            uses: 0,
            revokedAt: null,
            createdBy: actorId,
          }),
        );
        const [view] = await this.views(m, [saved]);
        if (!view) throw new Error('the invitation just saved has no view');
        return view;
      }
    });
  }

  async list(access: CompoundAccess, actorId: string): Promise<InvitationView[]> {
    const where = access.roles.includes('chair')
      ? { compoundId: access.compoundId }
      : { compoundId: access.compoundId, createdBy: actorId };
    const rows = await this.db.getRepository(Invitation).find({ where, order: { createdAt: 'DESC' }, take: 500 });
    return this.views(this.db.manager, rows);
  }

  async revoke(access: CompoundAccess, actorId: string, id: string): Promise<void> {
    const repo = this.db.getRepository(Invitation);
    const inv = await repo.findOneBy({ id, compoundId: access.compoundId });
    if (!inv) throw new AppError('NOT_FOUND');
    if (!access.roles.includes('chair') && inv.createdBy !== actorId) throw new AppError('FORBIDDEN');
    if (!inv.revokedAt) await repo.update({ id }, { revokedAt: new Date() });
  }

  /** A signed-in user adds the invitation's membership to their account. */
  async redeem(userId: string, code: string): Promise<MembershipView> {
    return this.db.transaction(async (m) => {
      const user = await m.findOneByOrFail(User, { id: userId });
      const invitation = await this.claim(m, code);
      const membership = await this.admit(m, invitation, user);
      const [view] = await this.members.membershipViews(m, [membership]);
      if (!view) throw new Error('the membership just saved has no view');
      return view;
    });
  }

  /** Locks a usable invitation for this transaction, or says why it cannot be used. */
  async claim(m: EntityManager, code: string): Promise<Invitation> {
    const inv = await m
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.code = :code', { code })
      .getOne();
    if (!inv) throw new AppError('INVITATION_INVALID');
    if (inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) throw new AppError('INVITATION_EXPIRED');
    if (inv.uses >= inv.maxUses) throw new AppError('INVITATION_USED_UP');
    return inv;
  }

  /** Gives the user the invitation's role; called inside the transaction that claimed it. */
  async admit(m: EntityManager, inv: Invitation, user: User): Promise<Membership> {
    const dup = await m.query(
      `SELECT 1 FROM membership WHERE user_id = $1 AND compound_id = $2 AND role = $3 AND household_id IS NOT DISTINCT FROM $4`,
      [user.id, inv.compoundId, inv.role, inv.householdId],
    );
    if (dup.length) throw new AppError('ALREADY_MEMBER');
    // A party member taking on another role stays one: the mark is the person's, not the role's.
    const [party] = await m.query(`SELECT 1 FROM membership WHERE user_id = $1 AND compound_id = $2 AND party_member LIMIT 1`, [
      user.id,
      inv.compoundId,
    ]);
    const membership = await m.save(
      m.create(Membership, {
        userId: user.id,
        compoundId: inv.compoundId,
        role: inv.role,
        householdId: inv.householdId,
        gateId: inv.gateId,
        organisationId: inv.organisationId,
        partyMember: !!party,
      }),
    );
    await m.increment(Invitation, { id: inv.id }, 'uses', 1);
    if (inv.designatedVoter && inv.householdId) await m.update(Household, { id: inv.householdId }, { voterUserId: user.id });
    if (inv.organisationId)
      await m.upsert(OrganisationMember, { organisationId: inv.organisationId, userId: user.id }, ['organisationId', 'userId']);
    // An owner in the register with this phone number is this user.
    if (user.phone) await m.update(Owner, { compoundId: inv.compoundId, phone: user.phone }, { userId: user.id });
    return membership;
  }

  private async views(m: EntityManager, rows: Invitation[]): Promise<InvitationView[]> {
    const labels = await householdLabels(
      m,
      rows.map((r) => r.householdId),
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      role: r.role,
      householdId: r.householdId,
      householdLabel: r.householdId ? (labels.get(r.householdId) ?? null) : null,
      gateId: r.gateId,
      organisationId: r.organisationId,
      designatedVoter: r.designatedVoter,
      expiresAt: r.expiresAt.toISOString(),
      maxUses: r.maxUses,
      uses: r.uses,
      revoked: r.revokedAt !== null,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}

function fieldError(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { fields: [{ path, message }] });
}

async function gateInCompound(m: EntityManager, gateId: string, compoundId: string): Promise<boolean> {
  const rows = await m.query(
    `SELECT 1 FROM building_gate g JOIN building b ON b.id = g.building_id WHERE g.id = $1 AND b.compound_id = $2`,
    [gateId, compoundId],
  );
  return rows.length > 0;
}
