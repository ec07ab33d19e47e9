import type { CanonicalFunding, ProposalView, RevisionSummary, RevisionView } from '@yishi/shared';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';

/** A proposal row as stored. */
export interface ProposalRow {
  id: string;
  compound_id: string;
  title: string;
  kind: ProposalView['kind'];
  status: ProposalView['status'];
  agenda_item_ids: string[];
  owner_id: string;
  created_at: Date;
  required_sign_offs: string[];
  amends: string | null;
  adopted_at: Date | null;
}

/** The proposal in this compound, or NOT_FOUND; locked for the transaction when asked. */
export async function proposalRow(m: EntityManager, compoundId: string, proposalId: string, lock = false): Promise<ProposalRow> {
  const [row] = await m.query(`SELECT * FROM proposal WHERE id = $1 AND compound_id = $2${lock ? ' FOR UPDATE' : ''}`, [
    proposalId,
    compoundId,
  ]);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

async function revisionSummaries(m: EntityManager, ids: string[]): Promise<Map<string, RevisionSummary[]>> {
  const out = new Map<string, RevisionSummary[]>();
  if (ids.length === 0) return out;
  const rows = await m.query(
    `SELECT id, proposal_id, number, hash, frozen_by, frozen_at FROM revision WHERE proposal_id = ANY($1) ORDER BY number`,
    [ids],
  );
  for (const r of rows) out.set(r.proposal_id, [...(out.get(r.proposal_id) ?? []), summary(r)]);
  return out;
}

export async function proposalViews(m: EntityManager, rows: ProposalRow[]): Promise<ProposalView[]> {
  const ids = rows.map((r) => r.id);
  const revisions = await revisionSummaries(m, ids);
  const amendments: Array<{ id: string; amends: string }> = ids.length
    ? await m.query(`SELECT id, amends FROM proposal WHERE amends = ANY($1) ORDER BY created_at, id`, [ids])
    : [];
  return rows.map((r) =>
    proposalView(
      r,
      revisions.get(r.id) ?? [],
      amendments.filter((a) => a.amends === r.id).map((a) => a.id),
    ),
  );
}

export function proposalView(r: ProposalRow, revisions: RevisionSummary[], amendedBy: string[]): ProposalView {
  return {
    id: r.id,
    compoundId: r.compound_id,
    title: r.title,
    kind: r.kind,
    status: r.status,
    agendaItemIds: r.agenda_item_ids,
    ownerId: r.owner_id,
    createdAt: r.created_at.toISOString(),
    revisions,
    requiredSignOffs: r.required_sign_offs,
    amends: r.amends,
    amendedBy,
    adoptedAt: r.adopted_at?.toISOString() ?? null,
  };
}

export function summary(r: { id: string; number: number; hash: string; frozen_by: string; frozen_at: Date }): RevisionSummary {
  return { id: r.id, number: r.number, hash: r.hash, frozenBy: r.frozen_by, frozenAt: r.frozen_at.toISOString() };
}

export function revisionView(r: {
  id: string;
  proposal_id: string;
  number: number;
  hash: string;
  frozen_by: string;
  frozen_at: Date;
  html: string;
  text: string;
  funding: string | null;
}): RevisionView {
  return {
    ...summary(r),
    proposalId: r.proposal_id,
    html: r.html,
    text: r.text,
    funding: r.funding === null ? null : (JSON.parse(r.funding) as CanonicalFunding),
  };
}
