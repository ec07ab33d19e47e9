import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recorded votes: rounds on frozen revisions, the counted ballot of each household, every cast
 * ever accepted, photos of paper ballots, funding sign-offs, and the hash-chained audit log.
 */
export class Votes1764500000000 implements MigrationInterface {
  name = 'Votes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- 'passed': a round passed but a required sign-off is still missing.
      ALTER TABLE proposal DROP CONSTRAINT proposal_status_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN ('drafting', 'in_vote', 'passed', 'adopted', 'withdrawn'));
      -- Organisations whose sign-off the proposal needs before it can be adopted.
      ALTER TABLE proposal ADD COLUMN required_sign_offs uuid[] NOT NULL DEFAULT '{}';
      ALTER TABLE proposal ADD COLUMN adopted_at timestamptz;

      -- One hash chain per proposal: its revisions, rounds, ballots and sign-offs, in order.
      CREATE TABLE audit_chain (
        chain_id uuid PRIMARY KEY REFERENCES proposal(id) ON DELETE CASCADE,
        head_seq bigint NOT NULL DEFAULT 0,
        head_hash text NOT NULL
      );

      CREATE TABLE audit_entry (
        chain_id uuid NOT NULL REFERENCES audit_chain(chain_id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        kind text NOT NULL,
        round_id uuid,
        -- The canonical JSON that was hashed, byte for byte: hash = sha256(prev_hash || body).
        body text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chain_id, seq)
      );
      CREATE INDEX audit_entry_round ON audit_entry (round_id, seq) WHERE round_id IS NOT NULL;
      CREATE UNIQUE INDEX audit_entry_hash ON audit_entry (hash);
      -- Append-only: an entry is never rewritten (verify still catches anyone who drops this).
      CREATE FUNCTION audit_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$;
      CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();

      CREATE TABLE vote_round (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        proposal_id uuid NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
        number integer NOT NULL,
        revision_id uuid NOT NULL REFERENCES revision(id),
        revision_number integer NOT NULL,
        meeting_id uuid REFERENCES meeting(id),
        question text NOT NULL,
        rule text NOT NULL,
        art278_item integer,
        building_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        -- The electorate as frozen at opening: [{ id, areaCentiM2, ownerIds, developerHeld, label, gateId }].
        electorate jsonb NOT NULL,
        totals jsonb NOT NULL,
        opened_by uuid NOT NULL REFERENCES app_user(id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closes_at timestamptz,
        closed_by uuid REFERENCES app_user(id),
        closed_at timestamptz,
        close_reason text CHECK (close_reason IN ('chair', 'deadline')),
        result jsonb,
        passed boolean,
        UNIQUE (proposal_id, number)
      );
      CREATE UNIQUE INDEX vote_round_one_open ON vote_round (proposal_id) WHERE status = 'open';
      CREATE INDEX vote_round_due ON vote_round (closes_at) WHERE status = 'open';
      CREATE INDEX vote_round_meeting ON vote_round (meeting_id);

      -- Photos of paper ballots and written authorisations (委托书).
      CREATE TABLE ballot_paper (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES vote_round(id) ON DELETE CASCADE,
        household_id uuid NOT NULL REFERENCES household(id),
        content_type text NOT NULL,
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      );

      -- The counted ballot: the primary key is the guarantee of one per household per round,
      -- whichever node took the cast.
      CREATE TABLE ballot (
        round_id uuid NOT NULL REFERENCES vote_round(id) ON DELETE CASCADE,
        household_id uuid NOT NULL REFERENCES household(id),
        ballot_id uuid NOT NULL,
        choice text NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
        -- The person whose ballot it is (designated voter or proxy); null for a paper ballot
        -- handed in by an owner without an account.
        voter_user_id uuid REFERENCES app_user(id),
        -- Who entered it: the voter, or the gate leader / chair for an assisted ballot.
        recorded_by uuid NOT NULL REFERENCES app_user(id),
        via_proxy boolean NOT NULL DEFAULT false,
        assisted boolean NOT NULL DEFAULT false,
        paper_id uuid REFERENCES ballot_paper(id),
        reason text,
        cast_at timestamptz NOT NULL,
        changes integer NOT NULL DEFAULT 0,
        receipt text NOT NULL,
        -- The audit seq of the counted cast: a live tally reads only rows newer than it has.
        seq bigint NOT NULL,
        PRIMARY KEY (round_id, household_id)
      );
      CREATE INDEX ballot_round_seq ON ballot (round_id, seq);

      -- Every cast ever accepted (the counted one and those it replaced): idempotency by the
      -- client's ballot id, and the receipts voters can check.
      CREATE TABLE ballot_cast (
        ballot_id uuid PRIMARY KEY,
        round_id uuid NOT NULL REFERENCES vote_round(id) ON DELETE CASCADE,
        household_id uuid NOT NULL,
        seq bigint NOT NULL,
        receipt text NOT NULL,
        cast_at timestamptz NOT NULL,
        paper_id uuid REFERENCES ballot_paper(id)
      );
      CREATE INDEX ballot_cast_round ON ballot_cast (round_id, household_id);

      -- A reason given with a vote against or an abstention is an objection: a comment thread
      -- of the proposal, anchored like any comment, answered when resolved.
      ALTER TABLE comment ADD COLUMN round_id uuid REFERENCES vote_round(id) ON DELETE SET NULL;
      ALTER TABLE comment ADD COLUMN objection text CHECK (objection IN ('against', 'abstain'));

      CREATE TABLE sign_off (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
        revision_id uuid NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        decision text NOT NULL CHECK (decision IN ('given', 'refused')),
        amount_fen bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
        line_ids text[] NOT NULL DEFAULT '{}',
        note text NOT NULL DEFAULT '',
        signed_by uuid NOT NULL REFERENCES app_user(id),
        signed_at timestamptz NOT NULL DEFAULT now(),
        audit_hash text NOT NULL
      );
      CREATE INDEX sign_off_revision ON sign_off (revision_id, organisation_id, signed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sign_off;
      ALTER TABLE comment DROP COLUMN objection;
      ALTER TABLE comment DROP COLUMN round_id;
      DROP TABLE ballot_cast; DROP TABLE ballot; DROP TABLE ballot_paper; DROP TABLE vote_round;
      DROP TABLE audit_entry; DROP FUNCTION audit_entry_immutable(); DROP TABLE audit_chain;
      ALTER TABLE proposal DROP COLUMN adopted_at;
      ALTER TABLE proposal DROP COLUMN required_sign_offs;
      ALTER TABLE proposal DROP CONSTRAINT proposal_status_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN ('drafting', 'in_vote', 'adopted', 'withdrawn'));
    `);
  }
}
