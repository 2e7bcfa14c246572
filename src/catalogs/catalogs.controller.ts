import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  FrameworkParams,
  FrameworkResponseDto,
  MappingPageDto,
  MappingsQueryDto,
  RequirementDetailDto,
  RequirementPageDto,
  RequirementParams,
  RequirementsQueryDto,
} from 'src/catalogs/catalogs.dto';
import { CatalogsService } from 'src/catalogs/catalogs.service';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';

@ApiTags('catalogs')
@Controller()
export class CatalogsController {
  constructor(private readonly service: CatalogsService) {}

  @Get('frameworks')
  @Authenticated()
  @ApiOperation({ summary: 'Loaded frameworks with their versions and requirement counts' })
  @ApiOkResponse({ type: [FrameworkResponseDto] })
  listFrameworks() {
    return this.service.listFrameworks();
  }

  @Get('frameworks/:key')
  @Authenticated()
  @ApiOperation({ summary: 'One framework with its section hierarchy' })
  @ApiOkResponse({ type: FrameworkResponseDto })
  getFramework(@Param() p: FrameworkParams) {
    return this.service.getFramework(p.key);
  }

  @Get('frameworks/:key/requirements')
  @Authenticated()
  @ApiOperation({ summary: "A framework's requirements: filter by section and attributes, full-text search, paginated" })
  @ApiOkResponse({ type: RequirementPageDto })
  listRequirements(@Param() p: FrameworkParams, @Query() q: RequirementsQueryDto) {
    return this.service.listRequirements(p.key, q);
  }

  @Get('frameworks/:key/requirements/:ref')
  @Authenticated()
  @ApiOperation({ summary: 'One requirement by ref (URL-encoded) or alias, with its children and cross-framework mappings' })
  @ApiOkResponse({ type: RequirementDetailDto })
  getRequirement(@Param() p: RequirementParams) {
    return this.service.getRequirement(p.key, p.ref);
  }

  @Get('mappings')
  @Authenticated()
  @ApiOperation({ summary: 'Requirement-to-requirement links between frameworks, oriented from `from` to `to`' })
  @ApiOkResponse({ type: MappingPageDto })
  listMappings(@Query() q: MappingsQueryDto) {
    return this.service.listMappings(q);
  }
}
