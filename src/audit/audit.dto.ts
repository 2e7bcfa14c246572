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
});
