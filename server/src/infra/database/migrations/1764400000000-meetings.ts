import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live meetings: agenda, attendance, the speakers list, chat, and the sequenced event log. */
export class Meetings1764400000000 implements MigrationInterface {
  name = 'Meetings1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        title text NOT NULL,
        scheduled_at timestamptz NOT NULL,
        place text NOT NULL DEFAULT '',
        online boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'adjourned', 'cancelled')),
        building_ids uuid[] NOT NULL DEFAULT '{}',
        rule text NOT NULL,
        art278_item smallint CHECK (art278_item BETWEEN 1 AND 9),
        current_agenda_item_id uuid,
        seq bigint NOT NULL DEFAULT 0,
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        opened_at timestamptz,
        adjourned_at timestamptz,
        cancelled_at timestamptz
      );
      CREATE INDEX meeting_compound ON meeting (compound_id, scheduled_at);

      CREATE TABLE agenda_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        position integer NOT NULL,
        title text NOT NULL,
        notes text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'current', 'done'))
      );
      CREATE INDEX agenda_item_meeting ON agenda_item (meeting_id, position);

      -- Who was there: a person who checked in (with the households they stand for), or a
      -- household the chair registered on site.
      CREATE TABLE attendance (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        user_id uuid REFERENCES app_user(id),
        display_name text NOT NULL,
        household_ids uuid[] NOT NULL DEFAULT '{}',
        method text NOT NULL CHECK (method IN ('online', 'on_site', 'registered')),
        registered_by uuid REFERENCES app_user(id),
        checked_in_at timestamptz NOT NULL DEFAULT now(),
        CHECK (user_id IS NOT NULL OR method = 'registered')
      );
      CREATE UNIQUE INDEX attendance_once_per_user ON attendance (meeting_id, user_id) WHERE user_id IS NOT NULL;
      CREATE UNIQUE INDEX attendance_once_per_registered_household ON attendance (meeting_id, (household_ids[1])) WHERE user_id IS NULL;

      -- The speakers list: each raised hand, and the turn it becomes when given the floor.
      CREATE TABLE speaker (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        display_name text NOT NULL,
        position double precision NOT NULL,
        status text NOT NULL CHECK (status IN ('waiting', 'speaking', 'done', 'withdrawn')),
        raised_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        ends_at timestamptz,
        time_limit_s integer,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('chair', 'time_up', 'adjourned', 'withdrawn'))
      );
      CREATE UNIQUE INDEX speaker_one_waiting_hand ON speaker (meeting_id, user_id) WHERE status = 'waiting';
      CREATE UNIQUE INDEX speaker_one_floor ON speaker (meeting_id) WHERE status = 'speaking';
      CREATE INDEX speaker_due ON speaker (ends_at) WHERE status = 'speaking' AND ends_at IS NOT NULL;

      CREATE TABLE chat_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        client_message_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user(id),
        display_name text NOT NULL,
        body text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        hidden_at timestamptz,
        hidden_by uuid REFERENCES app_user(id),
        UNIQUE (meeting_id, client_message_id)
      );
      CREATE INDEX chat_message_meeting ON chat_message (meeting_id, sent_at);

      -- Every committed change, in order: what a reconnecting client missed is read from here.
      CREATE TABLE meeting_event (
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (meeting_id, seq)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE meeting_event; DROP TABLE chat_message; DROP TABLE speaker; DROP TABLE attendance; DROP TABLE agenda_item; DROP TABLE meeting;`,
    );
  }
}
