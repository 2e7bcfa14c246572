import { Injectable, NotFoundException, StreamableFile } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { adminDir } from 'src/admin/ui-routes';

interface Asset {
  body: Buffer;
  type: string;
  version: string;
}

/**
 * The UI's three static files, read once at start and served from memory: our stylesheet and script, and htmx from
 * its npm package (never a CDN). URLs carry a content hash (`?v=`), so browsers may cache them for long.
 */
@Injectable()
export class UiAssetsService {
  private readonly assets: Map<string, Asset>;

  constructor() {
    const dir = join(adminDir(), 'assets');
    const fromPackages = createRequire(join(process.cwd(), 'package.json'));
    const files: [string, string, string][] = [
      ['app.css', join(dir, 'app.css'), 'text/css; charset=utf-8'],
      ['app.js', join(dir, 'app.js'), 'text/javascript; charset=utf-8'],
      ['htmx.min.js', fromPackages.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'],
    ];
    this.assets = new Map(
      files.map(([name, path, type]) => {
        const body = readFileSync(path);
        return [name, { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) }];
      }),
    );
  }

  /** `/assets/<name>?v=<hash>` for templates. */
  url(name: string): string {
    const asset = this.assets.get(name);
    if (!asset) throw new Error(`Unknown asset ${name}`);
    return `/assets/${name}?v=${asset.version}`;
  }

  file(name: string): StreamableFile {
    const asset = this.assets.get(name);
    if (!asset) throw new NotFoundException('No such file');
    return new StreamableFile(asset.body, { type: asset.type, length: asset.body.length });
  }
}
