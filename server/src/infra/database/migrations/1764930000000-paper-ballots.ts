import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Paper ballots that can be trusted: a one-time code per household and round (printed on the
 * ballot paper, stored only as a hash, consumed with the ballot), the signer of each paper,
 * wrong-code attempts for the rate limit, and households' disputes of their paper entries.
 */
export class PaperBallots1764930000000 implements MigrationInterface {
  name = 'PaperBallots1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The valid code of each household's latest printed paper; a reprint replaces it.
      CREATE TABLE ballot_code (
        round_id uuid NOT NULL REFERENCES vote_round(id) ON DELETE CASCADE,
        household_id uuid NOT NULL REFERENCES household(id),
        -- sha256 of round, household and code: the code itself is only on the paper.
        code_hash text NOT NULL,
        issue integer NOT NULL,
        issued_by uuid NOT NULL REFERENCES app_user(id),
        issued_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        used_by uuid REFERENCES app_user(id),
        PRIMARY KEY (round_id, household_id)
      );

      -- Wrong codes typed, per person and round: the rate limit counts them on every node.
      CREATE TABLE ballot_code_failure (
        user_id uuid NOT NULL REFERENCES app_user(id),
        round_id uuid NOT NULL REFERENCES vote_round(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ballot_code_failure_recent ON ballot_code_failure (user_id, round_id, at);

      -- The photo is now stored normalised (downscaled JPEG without metadata); who signed the paper.
      ALTER TABLE ballot_paper ADD COLUMN signer_name text;
      ALTER TABLE ballot_paper ADD COLUMN signer_as text CHECK (signer_as IN ('owner', 'voter', 'proxy'));
      ALTER TABLE ballot_paper ADD COLUMN original_bytes integer;
      ALTER TABLE ballot_paper ADD COLUMN width integer;
      ALTER TABLE ballot_paper ADD COLUMN height integer;

      CREATE TABLE paper_dispute (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES vote_round(id) ON DELETE CASCADE,
        household_id uuid NOT NULL REFERENCES household(id),
        paper_id uuid REFERENCES ballot_paper(id),
        raised_by uuid NOT NULL REFERENCES app_user(id),
        reason text NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        audit_hash text NOT NULL,
        answered_by uuid REFERENCES app_user(id),
        answer text,
        answered_at timestamptz,
        answer_hash text
      );
      CREATE INDEX paper_dispute_round ON paper_dispute (round_id);
      CREATE INDEX paper_dispute_open ON paper_dispute (round_id) WHERE answered_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE paper_dispute;
      ALTER TABLE ballot_paper DROP COLUMN height, DROP COLUMN width, DROP COLUMN original_bytes, DROP COLUMN signer_as, DROP COLUMN signer_name;
      DROP TABLE ballot_code_failure;
      DROP TABLE ballot_code;
    `);
  }
}
