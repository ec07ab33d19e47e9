import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The proposal life cycle in full (shared/src/domain/proposal-lifecycle.ts): `frozen`, `failed`
 * and `archived` join the statuses; amendments link to the adopted proposal they change; the
 * chair's invitations to edit one proposal.
 */
export class ProposalLifecycle1764920000000 implements MigrationInterface {
  name = 'ProposalLifecycle1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proposal DROP CONSTRAINT proposal_status_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_status_check
        CHECK (status IN ('drafting', 'frozen', 'in_vote', 'failed', 'passed', 'adopted', 'withdrawn', 'archived'));
      -- What 'drafting' meant before: a revision not yet voted on makes it frozen; a failed last
      -- round with nothing frozen since makes it failed.
      UPDATE proposal p SET status = 'frozen' WHERE status = 'drafting'
        AND EXISTS (SELECT 1 FROM revision v WHERE v.proposal_id = p.id
                    AND v.number > coalesce((SELECT max(r.revision_number) FROM vote_round r WHERE r.proposal_id = p.id), 0));
      UPDATE proposal p SET status = 'failed' WHERE status = 'drafting'
        AND EXISTS (SELECT 1 FROM vote_round r WHERE r.proposal_id = p.id AND r.status = 'closed');

      ALTER TABLE proposal ADD COLUMN amends uuid REFERENCES proposal(id);
      CREATE INDEX proposal_amends ON proposal (amends) WHERE amends IS NOT NULL;

      -- An invitation to edit one proposal, to an organisation (all its members) or one person.
      -- Withdrawn invitations stay, with who withdrew them and when.
      CREATE TABLE proposal_edit_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
        organisation_id uuid REFERENCES organisation(id),
        user_id uuid REFERENCES app_user(id),
        granted_by uuid NOT NULL REFERENCES app_user(id),
        granted_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid REFERENCES app_user(id),
        revoked_at timestamptz,
        CHECK ((organisation_id IS NULL) <> (user_id IS NULL))
      );
      CREATE UNIQUE INDEX proposal_edit_grant_org ON proposal_edit_grant (proposal_id, organisation_id) WHERE revoked_at IS NULL AND organisation_id IS NOT NULL;
      CREATE UNIQUE INDEX proposal_edit_grant_user ON proposal_edit_grant (proposal_id, user_id) WHERE revoked_at IS NULL AND user_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE proposal_edit_grant;
      DROP INDEX proposal_amends;
      ALTER TABLE proposal DROP COLUMN amends;
      UPDATE proposal SET status = 'drafting' WHERE status IN ('frozen', 'failed');
      UPDATE proposal SET status = 'withdrawn' WHERE status = 'archived';
      ALTER TABLE proposal DROP CONSTRAINT proposal_status_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN ('drafting', 'in_vote', 'passed', 'adopted', 'withdrawn'));
    `);
  }
}
