import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  balanceIssues,
  type CanonicalFunding,
  HOUSEHOLD_SHARE_RULE,
  type HouseholdAreaView,
  householdShares,
  type HouseholdSharesView,
  ORGANISATION_ROLES,
  type OrganisationKind,
  type ProposalStatus,
  type RequiredSignOffView,
  type requiredSignOffsSchema,
  type SignOffResult,
  type signOffSchema,
  type SignOffStatusView,
  type SignOffView,
  sourceAmountFen,
  sourceOfOrganisationKind,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { householdLabels } from '../compounds/household-labels';
import { ProposalLifecycleService } from '../proposals/proposal-lifecycle.service';
import { RoundsService } from '../votes/rounds.service';

/** Organisation kinds that have a member role able to sign off (a party branch has none). */
const SIGNING_KINDS: readonly OrganisationKind[] = ['property_company', 'property_rights_unit', 'street_department'];

interface RevisionRow {
  id: string;
  number: number;
  hash: string;
  funding: string | null;
}

interface SignOffRow {
  id: string;
  revision_id: string;
  revision_number: number;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  decision: 'given' | 'refused';
  amount_fen: string;
  line_ids: string[];
  note: string;
  signed_by: string;
  signed_by_name: string;
  signed_at: Date;
  audit_hash: string;
}

const planLines = (r: { funding: string | null }) => (r.funding ? (JSON.parse(r.funding) as CanonicalFunding).lines : []);

/**
 * Funding sign-offs: a funding party's formal commitment (or refusal) on one frozen revision,
 * recorded in the proposal's audit chain in the same transaction, and the list of sign-offs a
 * proposal needs before it is adopted. A sign-off names its revision, so a new revision needs
 * new sign-offs by construction.
 */
@Injectable()
export class FundingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly votes: RoundsService,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  async signOff(
    access: CompoundAccess,
    userId: string,
    proposalId: string,
    revisionNumber: number,
    req: z.output<typeof signOffSchema>,
  ): Promise<SignOffResult> {
    const result = await this.db.transaction(async (m) => {
      // Locked: sign-offs, rounds closing and adoption of one proposal happen one at a time.
      const proposal = await this.proposal(m, access.compoundId, proposalId, true);
      const rev: RevisionRow | undefined = (
        await m.query(`SELECT id, number, hash, funding FROM revision WHERE proposal_id = $1 AND number = $2`, [proposalId, revisionNumber])
      )[0];
      if (!rev) throw new AppError('NOT_FOUND');
      const org = await this.signingOrganisation(m, access, userId, req.organisationId);
      this.lifecycle.assertAllows(proposal.status, 'sign_off');
      const current = await this.currentRevisionIds(m, proposalId, proposal.status);
      if (!current.includes(rev.id)) throw new AppError('REVISION_NOT_LATEST');

      const lines = planLines(rev);
      if (lines.length === 0) throw new AppError('NO_FUNDING_PLAN', { details: { revisionNumber: rev.number } });
      const unbalanced = balanceIssues(lines);
      if (unbalanced.length)
        throw new AppError('FUNDING_UNBALANCED', { fields: unbalanced.map((i) => ({ path: i.path, message: i.message })) });
      const known = new Set(lines.map((l) => l.id));
      const unknown = req.lineIds.filter((id) => !known.has(id));
      if (unknown.length)
        throw new AppError('VALIDATION_FAILED', {
          fields: unknown.map((id) => ({ path: 'lineIds', message: `revision ${rev.number} has no line "${id}"` })),
        });

      const source = sourceOfOrganisationKind(org.kind);
      // Named lines, or else every line the organisation's source pays on: what it commits to.
      const lineIds = req.lineIds.length ? req.lineIds : source ? lines.filter((l) => (l.splits[source] ?? 0) > 0).map((l) => l.id) : [];
      const planFen = source ? sourceAmountFen(lines, source, lineIds) : 0;
      // An organisation the plan asks nothing of has nothing to commit or refuse (on these lines).
      if (planFen === 0) throw new AppError('SIGN_OFF_NOT_ASKED', { details: { organisationId: org.id, revisionNumber: rev.number } });
      if (req.decision === 'given' && req.amountFen !== planFen) {
        throw new AppError('SIGN_OFF_MISMATCH', {
          message: `revision ${rev.number} has ${org.name} pay ${planFen} fen on these lines, not ${req.amountFen}`,
          fields: [{ path: 'amountFen', message: `the plan has this organisation pay ${planFen} fen on these lines` }],
          details: { planFen },
        });
      }

      const kind = req.decision === 'given' ? 'signoff.given' : 'signoff.refused';
      const [entry] = await this.audit.append(m, proposalId, [
        {
          kind,
          body: {
            revision: rev.id,
            revisionNumber: rev.number,
            revisionHash: rev.hash,
            organisation: org.id,
            decision: req.decision,
            amountFen: req.amountFen,
            lineIds,
            note: req.note,
            signedBy: userId,
          },
        },
      ]);
      const [row] = await m.query(
        `INSERT INTO sign_off (proposal_id, revision_id, organisation_id, decision, amount_fen, line_ids, note, signed_by, audit_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [proposalId, rev.id, org.id, req.decision, req.amountFen, lineIds, req.note, userId, entry.hash],
      );
      const adopted = await this.lifecycle.adoptIfComplete(m, proposalId);
      const [view] = await this.signOffRows(m, 's.id = $1', [row.id]);
      if (!view) throw new Error('the sign-off just written could not be read back');
      return { signOff: view, proposalStatus: (adopted ? 'adopted' : proposal.status) as ProposalStatus, adopted };
    });
    if (result.adopted) await this.votes.announceProposal(proposalId);
    return { signOff: result.signOff, proposalStatus: result.proposalStatus };
  }

  /** Who has signed off on a revision, and which required sign-offs are still missing. */
  async status(compoundId: string, proposalId: string, revisionNumber?: number): Promise<SignOffStatusView> {
    const m = this.db.manager;
    const proposal = await this.proposal(m, compoundId, proposalId);
    let rev: RevisionRow | undefined;
    if (revisionNumber !== undefined) {
      [rev] = await m.query(`SELECT id, number, hash, funding FROM revision WHERE proposal_id = $1 AND number = $2`, [
        proposalId,
        revisionNumber,
      ]);
      if (!rev) throw new AppError('NOT_FOUND');
    } else {
      // The revision whose sign-offs matter now: the one awaiting adoption, else the latest.
      const [id] = await this.currentRevisionIds(m, proposalId, proposal.status);
      if (id) [rev] = await m.query(`SELECT id, number, hash, funding FROM revision WHERE id = $1`, [id]);
    }
    const orgs: Array<{ id: string; name: string; kind: OrganisationKind }> = proposal.required_sign_offs.length
      ? await m.query(`SELECT id, name, kind FROM organisation WHERE id = ANY($1)`, [proposal.required_sign_offs])
      : [];
    const history = rev ? await this.signOffRows(m, 's.revision_id = $1', [rev.id]) : [];
    const lines = rev ? planLines(rev) : [];
    const required: RequiredSignOffView[] = proposal.required_sign_offs.map((orgId) => {
      const o = orgs.find((x) => x.id === orgId)!;
      const latest = [...history].reverse().find((s) => s.organisationId === orgId) ?? null;
      const source = sourceOfOrganisationKind(o.kind);
      const planFen = source ? sourceAmountFen(lines, source) : 0;
      return {
        organisationId: o.id,
        organisationName: o.name,
        organisationKind: o.kind,
        source,
        planFen,
        state: latest ? latest.decision : rev && planFen === 0 ? 'not_asked' : 'missing',
        latest,
      };
    });
    return {
      proposalId,
      proposalStatus: proposal.status,
      revisionId: rev?.id ?? null,
      revisionNumber: rev?.number ?? null,
      required,
      missing: required.filter((r) => r.state !== 'given' && r.state !== 'not_asked').map((r) => r.organisationId),
      history,
    };
  }

  /** Sets the organisations a proposal needs sign-offs from; they must serve this compound and be able to sign. */
  async setRequired(
    compoundId: string,
    userId: string,
    proposalId: string,
    req: z.output<typeof requiredSignOffsSchema>,
  ): Promise<SignOffStatusView> {
    await this.db.transaction(async (m) => {
      const proposal = await this.proposal(m, compoundId, proposalId, true);
      // Fixed once a vote opens: a chair cannot drop a signer who has not signed a passed plan.
      this.lifecycle.assertAllows(proposal.status, 'require_sign_off');
      const found: Array<{ id: string; kind: OrganisationKind }> = req.organisationIds.length
        ? await m.query(
            `SELECT o.id, o.kind FROM organisation o JOIN compound c ON c.community_id = o.community_id WHERE c.id = $1 AND o.id = ANY($2)`,
            [compoundId, req.organisationIds],
          )
        : [];
      const fields = req.organisationIds.flatMap((id, i) => {
        const o = found.find((x) => x.id === id);
        if (!o) return [{ path: `organisationIds.${i}`, message: 'no such organisation serves this compound' }];
        if (!SIGNING_KINDS.includes(o.kind))
          return [{ path: `organisationIds.${i}`, message: 'this kind of organisation has no members who can sign off' }];
        return [];
      });
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
      await m.query(`UPDATE proposal SET required_sign_offs = $2 WHERE id = $1`, [proposalId, req.organisationIds]);
      // Who must sign decides when the proposal is adopted, so the change is in the chain too.
      await this.audit.append(m, proposalId, [
        { kind: 'sign_offs.required', body: { organisations: [...req.organisationIds].sort(), by: userId } },
      ]);
    });
    return this.status(compoundId, proposalId);
  }

  /** Households and their floor areas, so a client can show per-household shares of a draft live. */
  async householdAreas(compoundId: string): Promise<HouseholdAreaView[]> {
    const rows: Array<{ id: string; area_centi_m2: number }> = await this.db.query(
      `SELECT id, area_centi_m2 FROM household WHERE compound_id = $1 ORDER BY id`,
      [compoundId],
    );
    const labels = await householdLabels(
      this.db.manager,
      rows.map((r) => r.id),
    );
    return rows
      .map((r) => ({ id: r.id, label: labels.get(r.id) ?? '', areaCentiM2: r.area_centi_m2 }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
  }

  /** What each household pays of what residents pay in a frozen revision, by the stated rounding rule. */
  async householdShares(compoundId: string, proposalId: string, revisionNumber: number): Promise<HouseholdSharesView> {
    await this.proposal(this.db.manager, compoundId, proposalId);
    const [rev]: RevisionRow[] = await this.db.query(
      `SELECT id, number, hash, funding FROM revision WHERE proposal_id = $1 AND number = $2`,
      [proposalId, revisionNumber],
    );
    if (!rev) throw new AppError('NOT_FOUND');
    const residentsFen = sourceAmountFen(planLines(rev), 'residents');
    const households = await this.householdAreas(compoundId);
    const totalAreaCentiM2 = households.reduce((s, h) => s + h.areaCentiM2, 0);
    // A compound without recorded areas cannot split anything (and has nothing to show).
    const shares = totalAreaCentiM2 > 0 || residentsFen === 0 ? householdShares(residentsFen, households) : [];
    const byId = new Map(households.map((h) => [h.id, h]));
    return {
      revisionNumber: rev.number,
      residentsFen,
      totalAreaCentiM2,
      rule: HOUSEHOLD_SHARE_RULE,
      shares: shares.map((s) => ({ householdId: s.id, label: byId.get(s.id)!.label, areaCentiM2: s.areaCentiM2, shareFen: s.shareFen })),
    };
  }

  // ----- helpers -----

  private async proposal(
    m: EntityManager,
    compoundId: string,
    proposalId: string,
    lock = false,
  ): Promise<{ status: ProposalStatus; required_sign_offs: string[] }> {
    const [row] = await m.query(
      `SELECT status, required_sign_offs FROM proposal WHERE id = $1 AND compound_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [proposalId, compoundId],
    );
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  /**
   * The revisions a sign-off may name: the latest one, and, while a passed proposal awaits its
   * sign-offs, the revision that passed (a revision frozen after the vote must not strand it).
   * The first is the one that matters now.
   */
  private async currentRevisionIds(m: EntityManager, proposalId: string, status: ProposalStatus): Promise<string[]> {
    const [latest] = await m.query(`SELECT id FROM revision WHERE proposal_id = $1 ORDER BY number DESC LIMIT 1`, [proposalId]);
    const out: string[] = [];
    if (status === 'passed') {
      const [round] = await m.query(`SELECT revision_id FROM vote_round WHERE proposal_id = $1 AND passed ORDER BY number DESC LIMIT 1`, [
        proposalId,
      ]);
      if (round) out.push(round.revision_id);
    }
    if (latest && !out.includes(latest.id)) out.push(latest.id);
    return out;
  }

  /** The funding organisation the caller signs for, through their membership in this compound. */
  private async signingOrganisation(
    m: EntityManager,
    access: CompoundAccess,
    userId: string,
    wanted?: string,
  ): Promise<{ id: string; name: string; kind: OrganisationKind }> {
    const ids = [
      ...new Set(access.memberships.filter((x) => ORGANISATION_ROLES.includes(x.role) && x.organisationId).map((x) => x.organisationId!)),
    ];
    const orgs: Array<{ id: string; name: string; kind: OrganisationKind }> = ids.length
      ? await m.query(
          `SELECT o.id, o.name, o.kind FROM organisation o JOIN organisation_member om ON om.organisation_id = o.id AND om.user_id = $2 WHERE o.id = ANY($1)`,
          [ids, userId],
        )
      : [];
    if (wanted) {
      const o = orgs.find((x) => x.id === wanted);
      if (!o) throw new AppError('NOT_YOUR_ORGANISATION');
      return o;
    }
    const [only, ...others] = orgs;
    if (!only) throw new AppError('NOT_YOUR_ORGANISATION');
    if (others.length)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'organisationId', message: 'you belong to several organisations: name the one you sign for' }],
      });
    return only;
  }

  private async signOffRows(m: EntityManager, where: string, params: unknown[]): Promise<SignOffView[]> {
    const rows: SignOffRow[] = await m.query(
      `SELECT s.*, r.number AS revision_number, o.name AS organisation_name, o.kind AS organisation_kind, u.display_name AS signed_by_name
       FROM sign_off s JOIN revision r ON r.id = s.revision_id JOIN organisation o ON o.id = s.organisation_id JOIN app_user u ON u.id = s.signed_by
       WHERE ${where} ORDER BY s.signed_at, s.id`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      revisionId: r.revision_id,
      revisionNumber: r.revision_number,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      organisationKind: r.organisation_kind,
      decision: r.decision,
      amountFen: Number(r.amount_fen),
      lineIds: r.line_ids,
      note: r.note,
      signedBy: r.signed_by,
      signedByName: r.signed_by_name,
      signedAt: r.signed_at.toISOString(),
      auditHash: r.audit_hash,
    }));
  }
}
