import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Proposals, their co-edited documents (update log + snapshot), frozen revisions, comments. */
export class Proposals1764450000000 implements MigrationInterface {
  name = 'Proposals1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('renovation', 'funding', 'rules', 'other')),
        status text NOT NULL DEFAULT 'drafting' CHECK (status IN ('drafting', 'in_vote', 'adopted', 'withdrawn')),
        agenda_item_ids uuid[] NOT NULL DEFAULT '{}',
        owner_id uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX proposal_compound ON proposal (compound_id, created_at);

      -- Every acknowledged edit, appended; compaction folds a prefix into doc_snapshot.
      CREATE TABLE doc_update (
        doc_id uuid NOT NULL,
        id bigserial,
        update bytea NOT NULL,
        user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (doc_id, id)
      );

      CREATE TABLE doc_snapshot (
        doc_id uuid PRIMARY KEY,
        state bytea NOT NULL,
        -- The last doc_update folded into state; the tail is every update after it.
        through_update_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE revision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
        number integer NOT NULL,
        doc_state bytea NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        -- SHA-256 of the canonical content (see revisions.ts), hex.
        hash text NOT NULL,
        frozen_by uuid NOT NULL REFERENCES app_user(id),
        frozen_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (proposal_id, number)
      );

      CREATE TABLE comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
        thread_id uuid NOT NULL,
        parent_id uuid REFERENCES comment(id),
        author_id uuid NOT NULL REFERENCES app_user(id),
        author_name text NOT NULL,
        body text NOT NULL,
        -- Yjs relative positions (encoded) of the commented range; only on a thread's first comment.
        anchor_start bytea,
        anchor_end bytea,
        quote text,
        resolved_at timestamptz,
        resolved_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX comment_proposal ON comment (proposal_id, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE comment; DROP TABLE revision; DROP TABLE doc_snapshot; DROP TABLE doc_update; DROP TABLE proposal;`);
  }
}
