import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person who can sign in. Has a phone number, a user name, or both. */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', nullable: true }) username!: string | null;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ type: 'text' }) displayName!: string;
  @Column({ type: 'text' }) passwordHash!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
