import type { MeetingAudience, MeetingKind, MeetingScope, MeetingStatus, RuleId } from '@yishi/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 议事会: a deliberation meeting of one compound. `seq` counts its committed changes. */
@Entity('meeting')
export class Meeting {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) kind!: MeetingKind;
  @Column({ type: 'text' }) scope!: MeetingScope;
  /** Who is invited: the kind's default unless the chair chose another. */
  @Column({ type: 'text' }) audience!: MeetingAudience;
  @Column({ type: 'timestamptz' }) scheduledAt!: Date;
  @Column({ type: 'text' }) place!: string;
  @Column({ type: 'boolean' }) online!: boolean;
  @Column({ type: 'text' }) status!: MeetingStatus;
  @Column({ type: 'uuid', array: true }) buildingIds!: string[];
  @Column({ type: 'text', nullable: true }) rule!: RuleId | null;
  @Column({ type: 'smallint', nullable: true }) art278Item!: number | null;
  @Column({ type: 'uuid', nullable: true }) currentAgendaItemId!: string | null;
  /** bigint comes back from pg as a string. */
  @Column({ type: 'bigint' }) seq!: string;
  @Column({ type: 'uuid' }) createdBy!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) openedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) adjournedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
}

@Entity('agenda_item')
export class AgendaItem {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) meetingId!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) notes!: string;
  @Column({ type: 'text' }) status!: 'pending' | 'current' | 'done';
  @Column({ type: 'uuid', nullable: true }) compoundId!: string | null;
}

@Entity('attendance')
export class Attendance {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) meetingId!: string;
  @Column({ type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ type: 'text' }) displayName!: string;
  @Column({ type: 'uuid', array: true }) householdIds!: string[];
  @Column({ type: 'text' }) method!: 'online' | 'on_site' | 'registered';
  @Column({ type: 'uuid', nullable: true }) registeredBy!: string | null;
  @Column({ type: 'timestamptz' }) checkedInAt!: Date;
}

/** One raised hand, and the turn it becomes once given the floor. Kept as the record of turns. */
@Entity('speaker')
export class Speaker {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) meetingId!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) displayName!: string;
  @Column({ type: 'double precision' }) position!: number;
  @Column({ type: 'text' }) status!: 'waiting' | 'speaking' | 'done' | 'withdrawn';
  @Column({ type: 'timestamptz' }) raisedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) endsAt!: Date | null;
  @Column({ type: 'integer', nullable: true }) timeLimitS!: number | null;
  @Column({ type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) endReason!: 'chair' | 'time_up' | 'adjourned' | 'withdrawn' | null;
}

@Entity('chat_message')
export class ChatMessage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) meetingId!: string;
  @Column({ type: 'uuid' }) clientMessageId!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) displayName!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'timestamptz' }) sentAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) hiddenAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) hiddenBy!: string | null;
}
