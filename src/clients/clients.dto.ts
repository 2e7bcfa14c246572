import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { Role } from 'src/auth/permission';
import { ClientRow, MemberRow } from 'src/clients/clients.repository';
import { ClientEntity } from 'src/clients/client.entity';
import { PageMetaDto, PaginationQueryDto } from 'src/common/pagination.dto';
import { FrameworkReadinessSummaryDto } from 'src/readiness/readiness.dto';
import { OptionalField, ValidateEnum, ValidateString, ValidateUUID } from 'src/common/validation';
import { EmailField } from 'src/users/users.dto';

export class CreateClientDto {
  @ValidateString({ max: 200, description: 'Company name, unique in this instance' })
  name: string;

  @ValidateString({ max: 2000, optional: true })
  description?: string;
}

export class UpdateClientDto {
  @ValidateString({ max: 200, optional: true })
  name?: string;

  @ValidateString({ min: 0, max: 2000, nullable: true, description: 'null clears it' })
  description?: string | null;
}

export class ClientsQueryDto extends PaginationQueryDto {
  @ValidateString({ max: 200, optional: true, description: 'Part of the name' })
  search?: string;

  @OptionalField()
  @IsIn(['readiness'])
  @ApiPropertyOptional({ enum: ['readiness'], description: "readiness: add each client's readiness per enrolled framework" })
  include?: 'readiness';
}

export class ClientResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: Role, nullable: true, description: "The caller's role (null for an admin who is not a member)" })
  role: Role | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ClientWithReadinessDto extends ClientResponseDto {
  @ApiPropertyOptional({ type: [FrameworkReadinessSummaryDto], description: 'With include=readiness' })
  readiness?: FrameworkReadinessSummaryDto[];
}

export class ClientPageDto extends PageMetaDto {
  @ApiProperty({ type: [ClientWithReadinessDto] }) items: ClientWithReadinessDto[];
}

export class MemberParams {
  @ValidateUUID() clientId: string;
  @ValidateUUID() userId: string;
}

export class AddMemberDto extends EmailField {
  @ValidateEnum({ enum: Role, name: 'Role' })
  role: Role;

  @ValidateString({ max: 200, optional: true, description: 'Name for a user who does not exist yet' })
  name?: string;
}

export class MemberResponseDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty() createdAt: Date;
}

export class AddedMemberResponseDto extends MemberResponseDto {
  @ApiPropertyOptional({ description: 'Set when the user was created by this call: shown once, share it privately' })
  temporaryPassword?: string;
}

export const toClientResponse = (c: ClientEntity, role: Role | null): ClientResponseDto => ({
  id: c.id,
  name: c.name,
  description: c.description,
  role,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export const toClientRowResponse = (c: ClientRow) => toClientResponse(c, c.role);
export const toMemberResponse = (m: MemberRow): MemberResponseDto => ({ ...m });
export const clientSnapshot = (c: ClientEntity) => ({ name: c.name, description: c.description });
