import type { OrganisationKind } from '@yishi/shared';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A property company, property-rights unit, street department or party branch of a community. */
@Entity('organisation')
export class Organisation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) communityId!: string;
  @Column({ type: 'text' }) kind!: OrganisationKind;
  @Column({ type: 'text' }) name!: string;
}

@Entity('organisation_member')
export class OrganisationMember {
  @PrimaryColumn('uuid') organisationId!: string;
  @PrimaryColumn('uuid') userId!: string;
}
