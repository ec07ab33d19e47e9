import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PaperHouseholdView, PaperSigner } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { type Elector, RoundFactsService } from './round-facts.service';

export interface HouseholdFacts {
  id: string;
  signers: PaperSigner[];
  /** The user behind each signer (an owner may have no account). */
  userOf: Map<string, string | null>;
}

/** Who may handle the paper ballots of which households, and who may sign a household's paper. */
@Injectable()
export class PaperAccess {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: RoundFactsService,
  ) {}

  /** The round's facts, or NOT_FOUND when it is not in the caller's compound. */
  async roundIn(access: CompoundAccess, roundId: string) {
    const facts = await this.facts.get(roundId).catch(() => null);
    if (!facts || facts.compoundId !== access.compoundId) throw new AppError('NOT_FOUND');
    return facts;
  }

  /** The chair acts for every household, a gate leader for those of their own gates. */
  mayActFor(access: CompoundAccess, h: Elector): boolean {
    if (access.roles.includes('chair')) return true;
    return access.memberships.some((m) => m.role === 'gate_leader' && m.gateId !== null && m.gateId === h.gateId);
  }

  /** The households the caller speaks for: as a member of it, its designated voter, its proxy, or a registered owner. */
  async householdsOf(access: CompoundAccess, userId: string): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT h.id FROM household h WHERE h.compound_id = $1 AND (h.voter_user_id = $2 OR h.proxy_user_id = $2
         OR EXISTS (SELECT 1 FROM household_owner ho JOIN owner o ON o.id = ho.owner_id WHERE ho.household_id = h.id AND o.user_id = $2))`,
      [access.compoundId, userId],
    );
    const own = new Set(rows.map((r) => r.id));
    for (const m of access.memberships) if (m.householdId) own.add(m.householdId);
    return own;
  }

  /** Who is on the record for each household: its registered owners, designated voter and registered proxy. */
  async signers(m: EntityManager, householdIds: string[]): Promise<Map<string, HouseholdFacts>> {
    const rows: Array<{ household_id: string; id: string; name: string; as: PaperSigner['as']; user_id: string | null }> = await m.query(
      `SELECT ho.household_id, o.id, o.name, 'owner' AS as, o.user_id FROM household_owner ho JOIN owner o ON o.id = ho.owner_id WHERE ho.household_id = ANY($1)
       UNION ALL SELECT h.id, u.id, u.display_name, 'voter', u.id FROM household h JOIN app_user u ON u.id = h.voter_user_id WHERE h.id = ANY($1)
       UNION ALL SELECT h.id, u.id, u.display_name, 'proxy', u.id FROM household h JOIN app_user u ON u.id = h.proxy_user_id WHERE h.id = ANY($1)`,
      [householdIds],
    );
    const out = new Map<string, HouseholdFacts>(householdIds.map((id) => [id, { id, signers: [], userOf: new Map() }]));
    const order = { owner: 0, voter: 1, proxy: 2 };
    for (const r of rows.sort((a, b) => order[a.as] - order[b.as] || a.name.localeCompare(b.name, 'zh-CN'))) {
      const f = out.get(r.household_id)!;
      // The designated voter who is also a registered owner signs as that owner.
      if (r.as === 'voter' && rows.some((o) => o.household_id === r.household_id && o.as === 'owner' && o.user_id === r.id)) continue;
      f.signers.push({ id: r.id, name: r.name, as: r.as });
      f.userOf.set(r.id, r.user_id);
    }
    return out;
  }
}

/** Why a household gets no ballot paper: the developer votes its units online; nobody on the record could sign. */
export function refusal(h: Elector, f: HouseholdFacts): PaperHouseholdView['refused'] {
  if (h.developerHeld) return 'PAPER_DEVELOPER_HELD';
  if (f.signers.length === 0) return 'PAPER_NO_VOTER';
  return null;
}
