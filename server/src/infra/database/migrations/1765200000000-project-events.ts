import type { MigrationInterface, QueryRunner } from 'typeorm';

// The kinds as they were when this migration was written (shared/src/protocol/projects.protocol.ts holds the living list).
const KINDS = ['created', 'edited', 'milestone_added', 'milestone_done', 'progress', 'done', 'stopped'];

/**
 * Issue 15: a project's history — every change with who made it and when — which the project
 * page shows as its timeline. Residents' satisfaction answers are their own rows
 * (project_acceptance) and are not repeated here.
 */
export class ProjectEvents1765200000000 implements MigrationInterface {
  name = 'ProjectEvents1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(', ')})),
        note text,
        actor_id uuid NOT NULL REFERENCES app_user(id),
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX project_event_project ON project_event (project_id, at, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_event`);
  }
}
