import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** 社区: a residents' community under a street office, e.g. 麦子店街道霞光里社区. */
@Entity('community')
export class Community {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  /** The street office (街道) the community belongs to. */
  @Column({ type: 'text' }) street!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** 小区 / 院: the unit of self-governance; every role, meeting and vote is scoped to one. */
@Entity('compound')
export class Compound {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) communityId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) address!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('building')
export class Building {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'integer' }) sort!: number;
}

/** 楼门: one entrance (stairwell) of a building, the unit a gate leader looks after. */
@Entity('building_gate')
export class BuildingGate {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) buildingId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'integer' }) sort!: number;
}

/** 户: one exclusive unit (专有部分), the unit that casts one ballot. */
@Entity('household')
export class Household {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'uuid' }) buildingId!: string;
  @Column({ type: 'uuid', nullable: true }) gateId!: string | null;
  /** Unit number as the register writes it, e.g. "301". */
  @Column({ type: 'text' }) unit!: string;
  /** Exclusive floor area in 0.01 m². */
  @Column({ type: 'integer' }) areaCentiM2!: number;
  /** Still held by the developer: all such units count as one owner together. */
  @Column({ type: 'boolean' }) developerHeld!: boolean;
  @Column({ type: 'uuid', nullable: true }) voterUserId!: string | null;
  @Column({ type: 'uuid', nullable: true }) proxyUserId!: string | null;
  @Column({ type: 'text', nullable: true }) proxyNote!: string | null;
  @Column({ type: 'uuid', nullable: true }) proxyRegisteredBy!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) proxyRegisteredAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

/**
 * A registered owner (业主) from the owner register. Identified within a compound by phone
 * number, so an owner of several units is one owner, counted once by head.
 */
@Entity('owner')
export class Owner {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ type: 'uuid', nullable: true }) userId!: string | null;
}

/** Links owners to units; co-owners of a unit share its one ballot. */
@Entity('household_owner')
export class HouseholdOwner {
  @PrimaryColumn('uuid') householdId!: string;
  @PrimaryColumn('uuid') ownerId!: string;
}
