import { ApiProperty } from '@nestjs/swagger';

export class ReadinessCountsDto {
  @ApiProperty({ nullable: true, type: Number, description: '(met + 0.5 x partial) / applicable x 100, one decimal; null when nothing applies' })
  score: number | null;
  @ApiProperty() applicable: number;
  @ApiProperty() met: number;
  @ApiProperty() partial: number;
  @ApiProperty() gap: number;
  @ApiProperty() notApplicable: number;
  @ApiProperty({ description: 'Applicable controls not met whose due date has passed' }) overdue: number;
  @ApiProperty({ description: 'Applicable controls without an owner' }) unowned: number;
  @ApiProperty({ description: 'Accepted evidence whose validity ends within 30 days' }) expiringEvidence: number;
}

export class SectionReadinessDto extends ReadinessCountsDto {
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
}

export class FrameworkReadinessDto extends ReadinessCountsDto {
  @ApiProperty() framework: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty({ type: [SectionReadinessDto] }) sections: SectionReadinessDto[];
}

export class ClientReadinessDto {
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ format: 'date', description: 'The day the numbers were computed for' }) asOf: string;
  @ApiProperty({ type: [FrameworkReadinessDto] }) frameworks: FrameworkReadinessDto[];
}

export class FrameworkReadinessSummaryDto extends ReadinessCountsDto {
  @ApiProperty() framework: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
}
