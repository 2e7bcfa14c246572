import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { type FrameworkKey } from 'src/catalogs/catalog-files';
import { ValidateFrameworkKey } from 'src/catalogs/catalogs.dto';
import { PageMetaDto, ValidatePage, ValidatePageSize } from 'src/common/pagination.dto';
import { NullableField, OptionalField, ValidateBooleanQuery, ValidateDate, ValidateEnum, ValidateString, ValidateUUID } from 'src/common/validation';

export enum ControlStatus {
  NotStarted = 'not_started',
  InProgress = 'in_progress',
  Implemented = 'implemented',
}

export enum ReadinessState {
  Met = 'met',
  Partial = 'partial',
  Gap = 'gap',
  NotApplicable = 'not_applicable',
}

export const CONTROL_SORTS = ['ref', 'dueDate', 'status', 'state', 'owner', 'updatedAt'] as const;

export class ControlParams {
  @ValidateUUID() clientId: string;
  @ValidateUUID() controlId: string;
}

export class EnrollDto {
  @ValidateFrameworkKey()
  framework: FrameworkKey;
}

export class EnrollmentParams {
  @ValidateUUID() clientId: string;
  @ValidateFrameworkKey() framework: FrameworkKey;
}

/** Which controls: used by the list and by bulk changes. */
export class ControlFilterDto {
  @ValidateFrameworkKey(true)
  framework?: FrameworkKey;

  @ValidateEnum({ enum: ControlStatus, name: 'ControlStatus', optional: true })
  status?: ControlStatus;

  @ValidateEnum({ enum: ReadinessState, name: 'ReadinessState', optional: true, description: 'Readiness state (SPEC 3)' })
  state?: ReadinessState;

  @ValidateUUID({ optional: true, description: 'Only controls owned by this user' })
  ownerId?: string;

  @ValidateBooleanQuery({ description: 'true: only controls without an owner' })
  unowned?: boolean;

  @ValidateBooleanQuery({ description: 'true: due date passed and not met; false: the others' })
  overdue?: boolean;

  @ValidateBooleanQuery()
  applicable?: boolean;

  @ValidateString({ max: 64, optional: true, description: 'Section ref, including everything beneath it' })
  section?: string;

  @ValidateString({ max: 200, optional: true, description: 'Words or a ref, in ref, title, description and notes' })
  search?: string;
}

export class ControlsQueryDto extends ControlFilterDto {
  @OptionalField()
  @IsIn(CONTROL_SORTS)
  @ApiPropertyOptional({ enum: CONTROL_SORTS, default: 'ref' })
  sort?: (typeof CONTROL_SORTS)[number];

  @OptionalField()
  @IsIn(['asc', 'desc'])
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  order?: 'asc' | 'desc';

  @ValidatePage()
  page?: number;

  @ValidatePageSize()
  pageSize?: number;
}

/** Fields a change may set. `null` clears owner, due date and notes. */
export class ControlChangesDto {
  @ValidateEnum({ enum: ControlStatus, name: 'ControlStatus', optional: true })
  status?: ControlStatus;

  @NullableField()
  @IsUUID('all', { message: 'ownerId must be a UUID or null' })
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A consultant or member of the client; null to unassign' })
  ownerId?: string | null;

  @ValidateDate({ nullable: true, description: 'null clears it' })
  dueDate?: string | null;

  @OptionalField()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'false scopes the control out and requires a justification; true clears it' })
  applicable?: boolean;

  @ValidateString({ max: 4000, optional: true, description: 'Why the control does not apply' })
  justification?: string;
}

export class UpdateControlDto extends ControlChangesDto {
  @NullableField()
  @IsString()
  @MaxLength(20000)
  @ApiPropertyOptional({ nullable: true, maxLength: 20000 })
  notes?: string | null;
}

export class BulkControlsDto {
  @OptionalField()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'each of ids must be a UUID' })
  @ApiPropertyOptional({ type: [String], description: 'The controls to change (or give a filter)' })
  ids?: string[];

  @OptionalField()
  @ValidateNested()
  @Type(() => ControlFilterDto)
  @ApiPropertyOptional({ type: ControlFilterDto, description: 'Change every control that matches (or give ids)' })
  filter?: ControlFilterDto;

  @ValidateNested()
  @Type(() => ControlChangesDto)
  @ApiProperty({ type: ControlChangesDto })
  set: ControlChangesDto;
}

export class ControlRowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'soc2' }) framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty() section: string;
  @ApiProperty({ enum: ControlStatus }) status: ControlStatus;
  @ApiProperty({ enum: ReadinessState }) state: ReadinessState;
  @ApiProperty() applicable: boolean;
  @ApiProperty({ nullable: true, type: String }) justification: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ownerId: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) dueDate: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ description: 'Linked evidence that has not been withdrawn' }) evidenceCount: number;
  @ApiProperty() updatedAt: Date;
}

export class ControlPageDto extends PageMetaDto {
  @ApiProperty({ type: [ControlRowDto] }) items: ControlRowDto[];
}

export class MappedControlDto {
  @ApiProperty() framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['equivalent', 'related'] }) strength: string;
  @ApiProperty() rationale: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: "The client's control for it, when enrolled" }) controlId: string | null;
  @ApiProperty({ nullable: true, enum: ReadinessState }) state: ReadinessState | null;
}

export class ControlDetailDto extends ControlRowDto {
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) evidenceGuidance: string[];
  @ApiProperty({ type: Object }) attributes: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ type: [MappedControlDto] }) mappings: MappedControlDto[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: "Linked evidence" }) evidence: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Audit events of this control, newest first' }) history: unknown[];
}

export class EnrollmentDto {
  @ApiProperty() framework: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty() enrolledAt: Date;
  @ApiProperty() controlCount: number;
}

export class BulkResultDto {
  @ApiProperty({ description: 'Controls matched' }) matched: number;
  @ApiProperty({ description: 'Controls actually changed' }) changed: number;
}
