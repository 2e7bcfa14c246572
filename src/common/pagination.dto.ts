import { ApiProperty } from '@nestjs/swagger';

import { ValidateIntQuery } from 'src/common/validation';

export const ValidatePage = () => ValidateIntQuery({ min: 1, max: 100000, default: 1 });
export const ValidatePageSize = () => ValidateIntQuery({ min: 1, max: 500, default: 50 });

export class PaginationQueryDto {
  @ValidatePage()
  page?: number;

  @ValidatePageSize()
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export class PageMetaDto {
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export const pageOf = (q: PaginationQueryDto) => {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  return { page, pageSize, offset: (page - 1) * pageSize };
};
