import { INestApplication } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';

/** @nestjs/swagger's metadata keys (its constants module is not exported). */
export const SWAGGER = { parameters: 'swagger/apiParameters', consumes: 'swagger/apiConsumes', property: 'swagger/apiModelProperties' } as const;

export type Dto = new () => object;

/** One registered route, with the DTO classes its handler validates (when it declares them). */
export interface RouteInfo {
  method: string;
  /** Express path syntax, as registered: `/api/v1/clients/:clientId`. */
  path: string;
  handler: string;
  body?: Dto;
  query?: Dto;
  params?: Dto;
  /** The handler takes the body as UI form fields (FormBodyPipe), not as a DTO. */
  form: boolean;
  multipart: boolean;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { name: string } }[] };
}

const isDto = (t: unknown): t is Dto => typeof t === 'function' && t !== Object && t !== String && t !== Number && t !== Boolean;

/** What a handler's metadata says about its input. */
type HandlerInput = Omit<RouteInfo, 'method' | 'path' | 'handler'>;

function handlerInputs(app: INestApplication): Map<string, HandlerInput> {
  const scanner = new MetadataScanner();
  const inputs = new Map<string, HandlerInput>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as Dto;
      const proto = cls.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const types = (Reflect.getMetadata('design:paramtypes', proto, name) ?? []) as unknown[];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, cls, name) ?? {}) as Record<string, { index: number; pipes?: unknown[] }>;
        const argOf = (kind: RouteParamtypes) => Object.entries(args).find(([k]) => k.split(':')[0] === String(kind))?.[1];
        const typeOf = (kind: RouteParamtypes) => {
          const a = argOf(kind);
          return a && isDto(types[a.index]) ? (types[a.index] as Dto) : undefined;
        };
        const apiBody = ((Reflect.getMetadata(SWAGGER.parameters, handler) ?? []) as { in: string; type?: unknown }[]).find((p) => p.in === 'body')?.type;
        const consumes = (Reflect.getMetadata(SWAGGER.consumes, handler) ?? []) as string[];
        inputs.set(`${cls.name}.${name}`, {
          body: typeOf(RouteParamtypes.BODY) ?? (isDto(apiBody) ? apiBody : undefined),
          query: typeOf(RouteParamtypes.QUERY),
          params: typeOf(RouteParamtypes.PARAM),
          form: Boolean(argOf(RouteParamtypes.BODY)?.pipes?.some((pipe) => (pipe as { name?: string }).name === 'FormBodyPipe')),
          multipart: consumes.includes('multipart/form-data'),
        });
      }
    }
  }
  return inputs;
}

/**
 * Every route the Express router really serves (API and web UI), read from its stack: Nest names each route's
 * handler `Controller.method`, which leads to the DTO types of its @Body / @Query / @Param (or @ApiBody where the
 * handler reads the request itself). Layers registered for every method are middleware (CSRF), not routes. Routes
 * registered on Express directly (the OpenAPI pages) are listed without DTOs, so nothing escapes a walk.
 */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const inputs = handlerInputs(app);
  const routes: RouteInfo[] = [];
  for (const layer of express.router.stack) {
    const methods = Object.keys(layer.route?.methods ?? {});
    if (!layer.route || methods.length !== 1) continue;
    const handler = layer.route.stack[0]?.handle.name ?? '';
    const input = inputs.get(handler);
    routes.push({ method: methods[0].toUpperCase(), path: layer.route.path, handler: input ? handler : 'express', ...(input ?? { form: false, multipart: false }) });
    inputs.delete(handler);
  }
  if (inputs.size > 0) throw new Error(`Handlers without a registered route: ${[...inputs.keys()].join(', ')}`);
  return routes;
}
