import { ChainHeadDto } from 'src/audit/audit.dto';
import { ApiProperty } from '@nestjs/swagger';

import { FRAMEWORK_KEYS, type FrameworkKey } from 'src/catalogs/catalog-files';
import { ValidateFrameworkKey } from 'src/catalogs/catalogs.dto';
import { ControlStatus, ReadinessState } from 'src/controls/controls.dto';
import { ReviewState } from 'src/evidence/evidence.dto';
import { FrameworkReadinessDto } from 'src/readiness/readiness.dto';

export class GapReportQueryDto {
  /** One enrolled framework; all enrolled frameworks when omitted. */
  @ValidateFrameworkKey(true)
  framework?: FrameworkKey;
}

/** One control of the report, as the gap table, the remediation plan and the CSV show it. */
export class ReportControlDto {
  @ApiProperty({ enum: FRAMEWORK_KEYS }) framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Catalog section the requirement sits in (as in the control list)' }) section: string;
  @ApiProperty({ enum: ReadinessState }) state: ReadinessState;
  @ApiProperty({ enum: ControlStatus }) status: ControlStatus;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerEmail: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) dueDate: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Days past the due date for applicable controls not met; null otherwise' })
  daysOverdue: number | null;
  @ApiProperty() applicable: boolean;
  @ApiProperty({ nullable: true, type: String }) justification: string | null;
  @ApiProperty({ description: 'Linked evidence that has not been withdrawn' }) evidenceCount: number;
}

/** A framework's readiness (exactly what GET /readiness answers) plus its controls. */
export class FrameworkGapReportDto extends FrameworkReadinessDto {
  @ApiProperty({ type: [ReportControlDto], description: 'Every control of the framework, in catalog order' })
  controls: ReportControlDto[];
}

export class EvidenceControlRefDto {
  @ApiProperty({ enum: FRAMEWORK_KEYS }) framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() applicable: boolean;
}

export class EvidenceIndexEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() fileName: string;
  @ApiProperty() mediaType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() uploadedAt: string;
  @ApiProperty({ format: 'date' }) effectiveDate: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) validUntil: string | null;
  @ApiProperty({ enum: ReviewState }) reviewState: ReviewState;
  @ApiProperty({ type: [EvidenceControlRefDto], description: 'Controls of the reported frameworks it is linked to' })
  controls: EvidenceControlRefDto[];
}

export enum RiskKind {
  Overdue = 'overdue',
  Unowned = 'unowned',
  ExpiringEvidence = 'expiring_evidence',
}

export class RiskDto {
  @ApiProperty({ enum: FRAMEWORK_KEYS }) framework: string;
  @ApiProperty({ enum: RiskKind }) kind: RiskKind;
  @ApiProperty({ description: 'The number from readiness' }) count: number;
  @ApiProperty() text: string;
}

export class PreparedByDto {
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

/** The gap analysis of one client: what the PDF, JSON and CSV downloads show. Built once, with no database access after. */
export class GapReportDto {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty() clientName: string;
  @ApiProperty({ format: 'date', description: 'The day states, overdue days and expiry are judged against' }) asOf: string;
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: PreparedByDto }) preparedBy: PreparedByDto;
  @ApiProperty({
    nullable: true,
    type: ChainHeadDto,
    description: "Head of the client's audit chain when the report was built: a later rewrite of the trail no longer leads to it",
  })
  auditChainHead: ChainHeadDto | null;
  @ApiProperty({ type: [FrameworkGapReportDto] }) frameworks: FrameworkGapReportDto[];
  @ApiProperty({ type: [RiskDto], description: 'Overdue, unowned and expiring-evidence counts per framework, largest first' }) risks: RiskDto[];
  @ApiProperty({ type: [ReportControlDto], description: 'The most overdue open controls' }) mostOverdue: ReportControlDto[];
  @ApiProperty({ type: [EvidenceIndexEntryDto], description: 'Accepted evidence whose validity ends within 30 days' })
  expiringEvidence: EvidenceIndexEntryDto[];
  @ApiProperty({ type: [ReportControlDto], description: 'Open items (gap and partial) ordered by due date (none last), then catalog order' })
  remediation: ReportControlDto[];
  @ApiProperty({ type: [EvidenceIndexEntryDto], description: 'Current (not withdrawn) evidence linked to controls of the reported frameworks' })
  evidence: EvidenceIndexEntryDto[];
}
