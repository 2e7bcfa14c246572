import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';

import { AuditEventRow } from 'src/audit/audit.repository';
import { PageMetaDto, PaginationQueryDto } from 'src/common/pagination.dto';
import { OptionalField, ValidateString, ValidateUUID } from 'src/common/validation';

export class AuditEventQueryDto extends PaginationQueryDto {
  @OptionalField()
  @Matches(/^[a-z_]{1,40}$/, { message: 'entityType must be a lowercase entity name such as client or control' })
  @ApiPropertyOptional({ example: 'client_member' })
  entityType?: string;

  @ValidateString({ max: 100, optional: true })
  entityId?: string;

  @ValidateUUID({ optional: true, description: 'Only events by this user' })
  actorId?: string;

  @OptionalField()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or timestamp' })
  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this time' })
  from?: string;

  @OptionalField()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or timestamp' })
  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this time' })
  to?: string;
}

export class AuditEventResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorEmail: string | null;
  @ApiProperty({ nullable: true, type: String }) clientId: string | null;
  @ApiProperty() action: string;
  @ApiProperty() entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ nullable: true, type: Object }) before: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object }) after: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Position in its chain; null if recorded before chaining began' }) chainPosition: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the event and everything before it in its chain' }) hash: string | null;
}

export class AuditEventPageDto extends PageMetaDto {
  @ApiProperty({ type: [AuditEventResponseDto] }) items: AuditEventResponseDto[];
}

export const toAuditEventResponse = (e: AuditEventRow): AuditEventResponseDto => ({
  id: String(e.id),
  at: e.at,
  actorUserId: e.actorUserId,
  actorEmail: e.actorEmail,
  clientId: e.clientId,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  before: e.before,
  after: e.after,
  chainPosition: e.chainSeq === null ? null : Number(e.chainSeq),
  hash: e.hash,
});

export class ChainHeadDto {
  @ApiProperty({ description: 'Position of the last event in its chain' }) position: number;
  @ApiProperty({ description: 'SHA-256 (hex) of that event, covering every event before it' }) hash: string;
}

export class ChainBreakDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Position that does not hold (for missing: the one expected)' }) position: number | null;
  @ApiProperty() eventId: string;
  @ApiProperty({
    enum: ['missing', 'previous_link', 'content_hash', 'hmac', 'unchained'],
    description: 'missing: an event was removed; previous_link: it does not follow its predecessor; content_hash: its content changed; hmac: its seal was not made with the service key; unchained: written around the chain',
  })
  reason: string;
}

export class ChainReportDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: the instance chain (users, tokens)' }) clientId: string | null;
  @ApiProperty({ nullable: true, type: String }) clientName: string | null;
  @ApiProperty({ description: 'Events checked' }) checked: number;
  @ApiProperty({ nullable: true, type: ChainHeadDto }) head: ChainHeadDto | null;
  @ApiProperty({ nullable: true, type: ChainBreakDto, description: 'The first broken link; null when the chain holds' }) firstBreak: ChainBreakDto | null;
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'Every chain holds' }) ok: boolean;
  @ApiProperty({ description: 'Events recorded before chaining began (not verifiable, not a break)' }) unchained: number;
  @ApiProperty({ type: [ChainReportDto] }) chains: ChainReportDto[];
}
