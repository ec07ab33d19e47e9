import type { Role } from '@yishi/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A user's role in one compound; residents and gate leaders also name their household. */
@Entity('membership')
export class Membership {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) role!: Role;
  @Column({ type: 'uuid', nullable: true }) householdId!: string | null;
  /** For gate leaders: the gate they lead. */
  @Column({ type: 'uuid', nullable: true }) gateId!: string | null;
  @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  /** The person is a party member (党员) of the compound: set by the chair on every row of theirs there. */
  @Column({ type: 'boolean', default: false }) partyMember!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** A code the chair (or a gate leader) hands out so someone can join a compound in a role. */
@Entity('invitation')
export class Invitation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) role!: Role;
  @Column({ type: 'uuid', nullable: true }) householdId!: string | null;
  @Column({ type: 'uuid', nullable: true }) gateId!: string | null;
  @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  @Column({ type: 'boolean' }) designatedVoter!: boolean;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @Column({ type: 'integer' }) maxUses!: number;
  @Column({ type: 'integer' }) uses!: number;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'uuid' }) createdBy!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
