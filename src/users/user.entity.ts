import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('app_user')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text') passwordHash: string;
  @Column('boolean', { default: false }) isAdmin: boolean;
  @Column('boolean', { default: true }) active: boolean;
  /** The password was generated (first run, invitation, reset from the command line): the user must choose their own. */
  @Column('boolean', { default: false }) passwordChangeRequired: boolean;
  /** May open clients (and so become their consultant); admins may anyway. */
  @Column('boolean', { default: false }) canCreateClients: boolean;
  @Column('timestamptz', { nullable: true }) deactivatedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
