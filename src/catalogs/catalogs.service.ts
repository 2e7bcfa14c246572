import { Injectable, NotFoundException } from '@nestjs/common';

import type { FrameworkKey } from 'src/catalogs/catalog-files';
import {
  MappingsQueryDto,
  RequirementsQueryDto,
  toFrameworkResponse,
  toMappingResponse,
  toRequirementResponse,
} from 'src/catalogs/catalogs.dto';
import { CatalogsRepository, FrameworkRow } from 'src/catalogs/catalogs.repository';
import { pageOf } from 'src/common/pagination.dto';

/** Attribute filters of the requirements query and the catalog attribute each one matches. */
const ATTRIBUTE_FILTERS = ['category', 'series', 'safeguard', 'implementation', 'kind', 'principalRequirement', 'serviceProviderOnly', 'futureDated'] as const;

@Injectable()
export class CatalogsService {
  constructor(private readonly repo: CatalogsRepository) {}

  async listFrameworks() {
    return (await this.repo.findFrameworks()).map(toFrameworkResponse);
  }

  /** The framework row, or 404. Exported for the modules that enroll clients in frameworks. */
  async requireFramework(key: FrameworkKey): Promise<FrameworkRow> {
    const [f] = await this.repo.findFrameworks(key);
    if (!f) throw new NotFoundException(`Framework ${key} is not loaded`);
    return f;
  }

  async getFramework(key: FrameworkKey) {
    const f = await this.requireFramework(key);
    return { ...toFrameworkResponse(f), sections: await this.repo.findSections(f.id) };
  }

  async listRequirements(key: FrameworkKey, q: RequirementsQueryDto) {
    const f = await this.requireFramework(key);
    const { page, pageSize, offset } = pageOf(q);
    const attributes = Object.fromEntries(ATTRIBUTE_FILTERS.filter((a) => q[a] !== undefined).map((a) => [a, q[a]]));
    const [rows, total] = await this.repo.findRequirements(
      { frameworkId: f.id, section: q.section, search: q.search?.trim() || undefined, attributes, includeRetired: q.includeRetired ?? false },
      offset,
      pageSize,
    );
    return { items: rows.map(toRequirementResponse), total, page, pageSize };
  }

  async getRequirement(key: FrameworkKey, ref: string) {
    const f = await this.requireFramework(key);
    const r = await this.repo.findRequirement(f.id, ref);
    if (!r) throw new NotFoundException(`${key} has no requirement ${ref}`);
    const [children, mappings] = await Promise.all([this.repo.findChildren(f.id, r.ref), this.repo.findMappingsOf(r.id)]);
    return { ...toRequirementResponse(r), children, mappings: mappings.map(toMappingResponse) };
  }

  async listMappings(q: MappingsQueryDto) {
    const { page, pageSize, offset } = pageOf(q);
    const [rows, total] = await this.repo.findMappings(q.from, q.to, offset, pageSize);
    return { items: rows.map(toMappingResponse), total, page, pageSize };
  }
}
