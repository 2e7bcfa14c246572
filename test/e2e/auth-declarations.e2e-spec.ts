import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';

import { AUTH_OPTIONS, AuthOptions } from 'src/auth/decorators/authenticated.decorator';

import { TestApp } from '../utils/app';

/**
 * Every handler declares who may call it, and the whole route -> permission map is a snapshot: any change of
 * access shows up as a reviewable diff.
 */
describe('route access declarations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('declares access on every handler and matches the reviewed map', () => {
    const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
    const scanner = new MetadataScanner();
    const reflector = t.app.get(Reflector);
    const routes: string[] = [];
    const undeclared: string[] = [];
    for (const wrapper of controllers) {
      const instance = wrapper.instance as object;
      if (!instance) continue;
      const proto = Object.getPrototypeOf(instance);
      const base = [reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype as never)].flat()[0] ?? '';
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        const path = reflector.get<string | undefined>(PATH_METADATA, handler);
        if (path === undefined) continue;
        const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, handler)];
        const opts = reflector.getAllAndOverride<AuthOptions | undefined>(AUTH_OPTIONS, [handler, wrapper.metatype as never]);
        const route = `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
        if (!opts) undeclared.push(route);
        const access = !opts ? 'UNDECLARED' : opts.public ? 'public' : opts.admin ? 'admin' : opts.createClients ? 'client creators' : (opts.permission ?? 'authenticated');
        routes.push(`${route} -> ${access}${opts?.duringPasswordChange ? ' (also with a one-time password)' : ''}`);
      }
    }
    expect(undeclared).toEqual([]);
    expect(routes.sort()).toMatchSnapshot();
  });
});
