import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { UiAssetsService } from 'src/admin/http/ui-assets.service';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { ValidateString } from 'src/common/validation';

export class AssetParams {
  @ValidateString({ max: 64 })
  file: string;
}

/** The UI's stylesheet and scripts. URLs carry a content hash, so they may be cached for good. */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  constructor(private readonly assets: UiAssetsService) {}

  @Get(':file')
  @Public()
  @Header('Cache-Control', 'public, max-age=31536000, immutable')
  @Header('X-Content-Type-Options', 'nosniff')
  file(@Param() p: AssetParams) {
    return this.assets.file(p.file);
  }
}
