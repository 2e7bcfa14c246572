import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsUUID } from 'class-validator';

import { PageMetaDto, PaginationQueryDto } from 'src/common/pagination.dto';
import { OptionalField, ValidateBooleanQuery, ValidateDate, ValidateEnum, ValidateString, ValidateUUID } from 'src/common/validation';

export enum ReviewState {
  Pending = 'pending',
  Accepted = 'accepted',
  Rejected = 'rejected',
}

/** Multipart sends lists as repeated fields or one comma-separated field; both become an array. */
const toIdList = ({ value }: { value: unknown }) =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');

const ValidateControlIds = (optional: boolean) => (target: object, key: string) => {
  if (optional) OptionalField()(target, key);
  Transform(toIdList)(target, key);
  IsArray()(target, key);
  if (!optional) ArrayMinSize(1)(target, key);
  ArrayMaxSize(500)(target, key);
  IsUUID('all', { each: true, message: 'each of controlIds must be a UUID' })(target, key);
  (optional ? ApiPropertyOptional : ApiProperty)({ type: [String], description: "Controls of this client (UUIDs)" })(target, key);
};

export class EvidenceParams {
  @ValidateUUID() clientId: string;
  @ValidateUUID() evidenceId: string;
}

/** The text fields of the multipart upload (the file itself is streamed separately). */
export class UploadEvidenceDto {
  @ValidateString({ max: 300, description: 'What the file shows, e.g. "Q3 access review"' })
  title: string;

  @ValidateString({ max: 4000, optional: true })
  description?: string;

  @ValidateDate({ optional: true, description: 'The day the evidence shows (default: today)' })
  effectiveDate?: string;

  @ValidateDate({ optional: true, description: 'Last day the evidence counts' })
  validUntil?: string;

  @ValidateControlIds(true)
  controlIds?: string[];
}

export class UploadEvidenceBodyDoc extends UploadEvidenceDto {
  @ApiProperty({ type: 'string', format: 'binary' }) file: unknown;
}

export class EvidenceQueryDto extends PaginationQueryDto {
  @ValidateUUID({ optional: true, description: 'Only evidence linked to this control' })
  controlId?: string;

  @ValidateEnum({ enum: ReviewState, name: 'ReviewState', optional: true })
  reviewState?: ReviewState;

  @ValidateDate({ optional: true, description: 'Only evidence whose validity ends on or before this day' })
  expiringBefore?: string;

  @ValidateUUID({ optional: true })
  uploadedBy?: string;

  @ValidateBooleanQuery({ description: 'Include withdrawn evidence (default false)' })
  includeWithdrawn?: boolean;

  @ValidateString({ max: 200, optional: true, description: 'In title, description and file name' })
  search?: string;
}

export class LinksDto {
  @ValidateControlIds(false)
  controlIds: string[];
}

export class ReviewDto {
  @IsIn([ReviewState.Accepted, ReviewState.Rejected], { message: 'decision must be accepted or rejected' })
  @ApiProperty({ enum: [ReviewState.Accepted, ReviewState.Rejected] })
  decision: ReviewState.Accepted | ReviewState.Rejected;

  @ValidateString({ max: 4000, optional: true })
  comment?: string;
}

export class WithdrawDto {
  @ValidateString({ max: 4000, description: 'Why the evidence no longer counts' })
  reason: string;
}

export class LinkedControlDto {
  @ApiProperty({ format: 'uuid' }) controlId: string;
  @ApiProperty() framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
}

export class SuggestionDto extends LinkedControlDto {
  @ApiProperty({ description: 'The linked control this one is mapped from' }) viaRef: string;
  @ApiProperty({ enum: ['equivalent', 'related'] }) strength: string;
  @ApiProperty() rationale: string;
}

export class EvidenceResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() originalFilename: string;
  @ApiProperty({ description: 'Sniffed from the content' }) mediaType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ nullable: true, type: String }) uploaderName: string | null;
  @ApiProperty() uploadedAt: Date;
  @ApiProperty({ format: 'date' }) effectiveDate: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) validUntil: string | null;
  @ApiProperty({ enum: ReviewState }) reviewState: ReviewState;
  @ApiProperty({ nullable: true, type: String }) reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) reviewedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment: string | null;
  @ApiProperty({ nullable: true, type: Date }) withdrawnAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) withdrawReason: string | null;
  @ApiProperty({ description: 'Whether it counts for readiness today: accepted, not withdrawn, not expired' }) current: boolean;
  @ApiProperty({ type: [LinkedControlDto] }) links: LinkedControlDto[];
}

export class EvidenceDetailDto extends EvidenceResponseDto {
  @ApiProperty({ type: [SuggestionDto], description: "Mapped controls in the client's other enrolled frameworks, not linked yet" })
  suggestions: SuggestionDto[];
}

export class EvidencePageDto extends PageMetaDto {
  @ApiProperty({ type: [EvidenceResponseDto] }) items: EvidenceResponseDto[];
}

export class VerifyReportDto {
  @ApiProperty() checked: number;
  @ApiProperty({ type: [String] }) missing: string[];
  @ApiProperty({ type: [String] }) mismatched: string[];
}
