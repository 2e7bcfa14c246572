import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';

import { FRAMEWORK_KEY_PATTERN, type FrameworkKey } from 'src/catalogs/catalog-files';
import { FrameworkRow, MappingRow, RequirementRow } from 'src/catalogs/catalogs.repository';
import { PageMetaDto, PaginationQueryDto } from 'src/common/pagination.dto';
import { OptionalField, ValidateBooleanQuery, ValidateString } from 'src/common/validation';

/** The same pattern as catalog.schema.json's refs. */
const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.()\- ]*$/;

export const ValidateFrameworkKey = (optional = false) => (target: object, key: string) => {
  if (optional) OptionalField()(target, key);
  Matches(FRAMEWORK_KEY_PATTERN, { message: `${key} must be a framework key such as soc2, hipaa or pci-dss` })(target, key);
  (optional ? ApiPropertyOptional : ApiProperty)({ type: String, example: 'soc2', pattern: FRAMEWORK_KEY_PATTERN.source })(target, key);
};

export class FrameworkParams {
  @ValidateFrameworkKey()
  key: FrameworkKey;
}

export class RequirementParams extends FrameworkParams {
  @ValidateString({ max: 64, description: 'Official identifier, URL-encoded, e.g. 164.308(a)(1)(ii)(A)' })
  @Matches(REF_PATTERN, { message: 'ref may hold letters, digits, dots, dashes, spaces and parentheses only' })
  ref: string;
}

export class RequirementsQueryDto extends PaginationQueryDto {
  @ValidateString({ max: 64, optional: true, description: 'Section ref; includes everything beneath it (e.g. CC6, 164.312, 8 or 8.3)' })
  section?: string;

  @ValidateString({ max: 200, optional: true, description: 'Words or a ref, searched in ref, title and description' })
  search?: string;

  @ValidateString({ max: 40, optional: true, description: 'SOC 2 category, e.g. Security' })
  category?: string;

  @OptionalField()
  @Matches(/^(CC[1-9]|A1|C1|PI1|P[1-8])$/, { message: 'series must be a SOC 2 series such as CC6 or PI1' })
  @ApiPropertyOptional({ description: 'SOC 2 series' })
  series?: string;

  @OptionalField()
  @IsIn(['administrative', 'physical', 'technical', 'organizational', 'policies_and_documentation'])
  @ApiPropertyOptional({ description: 'HIPAA safeguard' })
  safeguard?: string;

  @OptionalField()
  @IsIn(['required', 'addressable'])
  @ApiPropertyOptional({ description: 'HIPAA implementation specification type' })
  implementation?: string;

  @OptionalField()
  @IsIn(['standard', 'implementation_specification'])
  @ApiPropertyOptional({ description: 'HIPAA entry kind' })
  kind?: string;

  @OptionalField()
  @Matches(/^([1-9]|1[0-2]|A[1-3])$/, { message: 'principalRequirement must be 1-12 or A1-A3' })
  @ApiPropertyOptional({ description: 'PCI DSS principal requirement' })
  principalRequirement?: string;

  @ValidateBooleanQuery({ description: 'PCI DSS: only (or no) service-provider requirements' })
  serviceProviderOnly?: boolean;

  @ValidateBooleanQuery({ description: 'PCI DSS: only (or no) requirements that were future-dated in v4.0' })
  futureDated?: boolean;

  @ValidateBooleanQuery({ description: 'Include requirements retired by a newer catalog version' })
  includeRetired?: boolean;
}

export class MappingsQueryDto extends PaginationQueryDto {
  @ValidateFrameworkKey(true)
  from?: FrameworkKey;

  @ValidateFrameworkKey(true)
  to?: FrameworkKey;
}

export class FrameworkResponseDto {
  @ApiProperty({ example: 'soc2' }) key: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty() publisher: string;
  @ApiProperty({ format: 'date' }) effectiveDate: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ description: 'Trackable requirements in the current version' }) requirementCount: number;
  @ApiProperty() retiredCount: number;
  @ApiProperty() sectionCount: number;
}

export class SectionRefDto {
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
}

export class RequirementResponseDto {
  @ApiProperty({ example: 'soc2' }) framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() section: string;
  @ApiProperty({ type: [SectionRefDto] }) sectionPath: SectionRefDto[];
  @ApiProperty({ nullable: true, type: String }) parent: string | null;
  @ApiProperty({ type: [String] }) aliases: string[];
  @ApiProperty({ type: [String], description: 'What an auditor typically asks to see' }) evidenceGuidance: string[];
  @ApiProperty({ type: Object, description: 'Framework-specific attributes' }) attributes: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Date }) retiredAt: Date | null;
}

export class RequirementPageDto extends PageMetaDto {
  @ApiProperty({ type: [RequirementResponseDto] }) items: RequirementResponseDto[];
}

export class MappingResponseDto {
  @ApiProperty() fromFramework: string;
  @ApiProperty() fromRef: string;
  @ApiProperty() fromTitle: string;
  @ApiProperty() toFramework: string;
  @ApiProperty() toRef: string;
  @ApiProperty() toTitle: string;
  @ApiProperty({ enum: ['equivalent', 'related'] }) strength: string;
  @ApiProperty() rationale: string;
}

export class MappingPageDto extends PageMetaDto {
  @ApiProperty({ type: [MappingResponseDto] }) items: MappingResponseDto[];
}

export class RequirementDetailDto extends RequirementResponseDto {
  @ApiProperty({ type: [SectionRefDto], description: 'Implementation specifications or sub-requirements' }) children: SectionRefDto[];
  @ApiProperty({ type: [MappingResponseDto], description: 'Links to requirements of the other frameworks' }) mappings: MappingResponseDto[];
}

export const toFrameworkResponse = ({ id: _id, ...f }: FrameworkRow): FrameworkResponseDto => f;

export const toRequirementResponse = (r: RequirementRow): RequirementResponseDto => ({
  framework: r.frameworkKey,
  ref: r.ref,
  title: r.title,
  description: r.description,
  section: r.sectionRef,
  sectionPath: r.sectionPath,
  parent: r.parentRef,
  aliases: r.aliases,
  evidenceGuidance: r.evidenceGuidance,
  attributes: r.attributes,
  retiredAt: r.retiredAt,
});

export const toMappingResponse = (m: MappingRow): MappingResponseDto => ({
  fromFramework: m.fromFramework,
  fromRef: m.fromRef,
  fromTitle: m.fromTitle,
  toFramework: m.toFramework,
  toRef: m.toRef,
  toTitle: m.toTitle,
  strength: m.strength,
  rationale: m.rationale,
});
