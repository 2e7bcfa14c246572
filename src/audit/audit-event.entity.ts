import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE, and the service role may only INSERT/SELECT. */
@Entity('audit_event')
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('timestamptz') at: Date;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('uuid', { nullable: true }) clientId: string | null;
  @Column('text') action: string;
  @Column('text') entityType: string;
  @Column('text') entityId: string;
  @Column('jsonb', { nullable: true }) before: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) after: Record<string, unknown> | null;
  /** Position in its chain (the client's, or the instance's); null for events recorded before chaining began. */
  @Column('bigint', { nullable: true }) chainSeq: string | null;
  @Column('text', { nullable: true }) prevHash: string | null;
  @Column('text', { nullable: true }) hash: string | null;
  @Column('text', { nullable: true }) hmac: string | null;
}
