import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { Role } from 'src/auth/permission';

@Entity('client')
export class ClientEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('client_member')
export class ClientMemberEntity {
  @PrimaryColumn('uuid') clientId: string;
  @PrimaryColumn('uuid') userId: string;
  @Column('text') role: Role;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
