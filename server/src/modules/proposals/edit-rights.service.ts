import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { allows, type EditGrantView, type editGrantSchema, type EditRightsView, proposalAllows, type Role } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { ProposalLifecycleService } from './proposal-lifecycle.service';
import { proposalRow } from './proposal-views';

/** Who may edit a proposal's text: by role, or by the chair's invitation to an organisation or member. */
@Injectable()
export class EditRightsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  /**
   * Whether a user may edit a proposal's text now: its status must allow editing (adopted and
   * the other final states never do), and their role must, or the chair must have invited them
   * or their organisation to this proposal. Asked by the document gateway at doc:join.
   */
  async canEdit(proposalId: string, userId: string, roles: readonly Role[]): Promise<boolean> {
    return (await this.editCheck(this.db.manager, proposalId, userId, roles)).canEdit;
  }

  private async editCheck(
    m: EntityManager,
    proposalId: string,
    userId: string,
    roles: readonly Role[],
  ): Promise<{ canEdit: boolean; reason: EditRightsView['reason'] }> {
    const [p] = await m.query(
      `SELECT p.status, EXISTS (
         SELECT 1 FROM proposal_edit_grant g WHERE g.proposal_id = p.id AND g.revoked_at IS NULL
           AND (g.user_id = $2 OR g.organisation_id IN (SELECT organisation_id FROM organisation_member WHERE user_id = $2))
       ) AS invited
       FROM proposal p WHERE p.id = $1`,
      [proposalId, userId],
    );
    if (!p) return { canEdit: false, reason: 'status' };
    if (!proposalAllows(p.status, 'edit')) return { canEdit: false, reason: 'status' };
    if (allows(roles, 'proposal.edit') || p.invited) return { canEdit: true, reason: null };
    return { canEdit: false, reason: 'role' };
  }

  /** The live invitations to edit a proposal, and whether the caller may edit it. */
  async editRights(
    access: CompoundAccess,
    userId: string,
    proposalId: string,
    m: EntityManager = this.db.manager,
  ): Promise<EditRightsView> {
    const row = await proposalRow(m, access.compoundId, proposalId);
    const grants: Array<{
      id: string;
      organisation_id: string | null;
      user_id: string | null;
      name: string;
      granted_by: string;
      granted_by_name: string;
      granted_at: Date;
    }> = await m.query(
      `SELECT g.id, g.organisation_id, g.user_id, coalesce(o.name, u.display_name) AS name, g.granted_by, b.display_name AS granted_by_name, g.granted_at
       FROM proposal_edit_grant g LEFT JOIN organisation o ON o.id = g.organisation_id LEFT JOIN app_user u ON u.id = g.user_id JOIN app_user b ON b.id = g.granted_by
       WHERE g.proposal_id = $1 AND g.revoked_at IS NULL ORDER BY g.granted_at, g.id`,
      [proposalId],
    );
    const check = await this.editCheck(m, proposalId, userId, access.roles);
    return {
      proposalId,
      status: row.status,
      grants: grants.map((g): EditGrantView => ({
        id: g.id,
        proposalId,
        organisationId: g.organisation_id,
        userId: g.user_id,
        name: g.name,
        grantedBy: g.granted_by,
        grantedByName: g.granted_by_name,
        grantedAt: g.granted_at.toISOString(),
      })),
      ...check,
    };
  }

  /**
   * The chair invites an organisation serving the compound (all its members) or a member of the
   * compound to edit this proposal; audited in the proposal's chain.
   */
  async grantEdit(
    access: CompoundAccess,
    userId: string,
    proposalId: string,
    req: z.output<typeof editGrantSchema>,
  ): Promise<EditRightsView> {
    return this.db.transaction(async (m) => {
      const row = await proposalRow(m, access.compoundId, proposalId, true);
      this.lifecycle.assertAllows(row.status, 'grant_edit');
      if (req.organisationId) {
        const [o] = await m.query(
          `SELECT 1 FROM organisation o JOIN compound c ON c.community_id = o.community_id WHERE c.id = $1 AND o.id = $2`,
          [access.compoundId, req.organisationId],
        );
        if (!o)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ path: 'organisationId', message: 'no such organisation serves this compound' }],
          });
      } else {
        const [u] = await m.query(`SELECT 1 FROM membership WHERE compound_id = $1 AND user_id = $2 LIMIT 1`, [
          access.compoundId,
          req.userId,
        ]);
        if (!u) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'userId', message: 'no such member of this compound' }] });
      }
      const [grant] = await m.query(
        `INSERT INTO proposal_edit_grant (proposal_id, organisation_id, user_id, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id`,
        [proposalId, req.organisationId ?? null, req.userId ?? null, userId],
      );
      if (!grant) throw new AppError('CONFLICT', { details: { reason: 'already invited' } });
      await this.audit.append(m, proposalId, [
        { kind: 'edit.granted', body: { grant: grant.id, organisation: req.organisationId ?? null, user: req.userId ?? null, by: userId } },
      ]);
      return this.editRights(access, userId, proposalId, m);
    });
  }

  /** The chair withdraws an invitation; sockets editing under it lose the right at once. */
  async revokeEdit(access: CompoundAccess, userId: string, proposalId: string, grantId: string): Promise<EditRightsView> {
    const view = await this.db.transaction(async (m) => {
      await proposalRow(m, access.compoundId, proposalId, true);
      // An UPDATE answers [rows, count].
      const [[grant]] = await m.query(
        `UPDATE proposal_edit_grant SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND proposal_id = $2 AND revoked_at IS NULL RETURNING organisation_id, user_id`,
        [grantId, proposalId, userId],
      );
      if (!grant) throw new AppError('NOT_FOUND');
      await this.audit.append(m, proposalId, [
        { kind: 'edit.revoked', body: { grant: grantId, organisation: grant.organisation_id, user: grant.user_id, by: userId } },
      ]);
      return this.editRights(access, userId, proposalId, m);
    });
    this.events.emit('proposal.edit_rights', { proposalId });
    return view;
  }
}
