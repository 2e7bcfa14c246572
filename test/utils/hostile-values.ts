import { getMetadataStorage } from 'class-validator';

import { type Dto, SWAGGER } from './routes';

/** JSON text inserted as it is, for what JSON.stringify cannot write (1e309, -0, duplicate keys, deep nesting). */
export class Raw {
  constructor(readonly json: string) {}
}

export function toJson(v: unknown): string {
  if (v instanceof Raw) return v.json;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** What the validation metadata says about one DTO field. */
export interface FieldInfo {
  name: string;
  optional: boolean;
  checks: Set<string>;
  min?: number;
  max?: number;
  values?: string[];
  pattern?: RegExp;
  example?: unknown;
  nested?: Dto;
}

/** The fields of a DTO, read from class-validator's metadata (the rules the pipe applies) and swagger's. */
export function fieldsOf(dto: Dto): FieldInfo[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byName = new Map<string, FieldInfo>();
  for (const m of metas) {
    const f = byName.get(m.propertyName) ?? { name: m.propertyName, optional: false, checks: new Set<string>() };
    byName.set(m.propertyName, f);
    const c = (m.constraints ?? []) as unknown[];
    if (m.type === 'conditionalValidation') f.optional = true;
    if (m.type === 'nestedValidation') {
      const api = Reflect.getMetadata(SWAGGER.property, dto.prototype, m.propertyName) as { type?: unknown } | undefined;
      if (typeof api?.type === 'function') f.nested = api.type as Dto;
    }
    const check = m.name ?? m.type;
    f.checks.add(check);
    if (check === 'minLength' || check === 'min' || check === 'arrayMinSize') f.min = c[0] as number;
    if (check === 'maxLength' || check === 'max' || check === 'arrayMaxSize') f.max = c[0] as number;
    if (check === 'isEnum') f.values = Object.values(c[0] as object).map(String);
    if (check === 'isIn') f.values = (c[0] as unknown[]).map(String);
    if (check === 'matches') f.pattern = c[0] instanceof RegExp ? c[0] : new RegExp(String(c[0]));
    const api = Reflect.getMetadata(SWAGGER.property, dto.prototype, m.propertyName) as { example?: unknown } | undefined;
    if (api?.example !== undefined) f.example = api.example;
  }
  return [...byName.values()];
}

/** Known-good values for fields that name things of the fixture (real ids, a framework key, a ref). */
export type Known = Record<string, string>;

let emailCounter = 0;

/** A value the field accepts, so that a request with one hostile field is refused for that field only. */
export function validValue(f: FieldInfo, known: Known): unknown {
  if (known[f.name] !== undefined) return known[f.name];
  if (f.nested) return validObject(f.nested, known);
  const one = (): unknown => {
    if (f.checks.has('isUuid')) return '7b0b3f8e-9d0c-4a8e-8f11-0c2d5c1e9a01';
    if (f.values) return f.values[0];
    if (f.checks.has('isBoolean')) return true;
    if (f.checks.has('isInt')) return f.min ?? 1;
    if (f.checks.has('isDateString') || f.checks.has('isIso8601')) return '2026-01-15';
    if (f.checks.has('isEmail')) return `fuzz-${++emailCounter}-${process.pid}@example.com`;
    if (f.pattern) {
      const sample = [f.example, 'soc2', 'CC6.1', 'CC6', '1', 'client'].find((s) => typeof s === 'string' && f.pattern!.test(s));
      return sample ?? 'x';
    }
    return 'fuzz value'.padEnd(f.min ?? 1, 'z');
  };
  return f.checks.has('isArray') ? [one()] : one();
}

/** A body with every required field valid (optional ones left out, so a valid request changes as little as possible). */
export function validObject(dto: Dto, known: Known): Record<string, unknown> {
  return Object.fromEntries(fieldsOf(dto).filter((f) => !f.optional).map((f) => [f.name, validValue(f, known)]));
}

/** Nested `depth` levels deep, as JSON text (JSON.stringify could not even build it). */
export const deepJson = (depth: number) => new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
export const deepArray = (depth: number) => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);

export const OTHER_UUID_PLACEHOLDER = '<other-client-id>';

/** Values that break a field's schema: wrong types, nulls, text PostgreSQL cannot store, extremes. */
export function hostileValues(f: FieldInfo): [string, unknown][] {
  const common: [string, unknown][] = [
    ['null', null],
    ['number', 12345],
    ['-0', new Raw('-0')],
    ['1e309', new Raw('1e309')],
    ['2^53+1', new Raw('9007199254740993')],
    ['boolean', true],
    ['object', { $ne: null }],
    ['array', ['x', null]],
    ['NUL', 'a\u0000b'],
    ['lone surrogate', 'x\uD800y'],
    ['empty', ''],
    ['blank', '   '],
    ['huge string', 'x'.repeat(Math.max((f.max ?? 0) + 1, 100_000))],
    ['deep nesting', deepJson(5000)],
    ['__proto__ object', new Raw('{"__proto__":{"isAdmin":true}}')],
  ];
  const specific: [string, unknown][] = [];
  if (f.checks.has('isUuid')) {
    specific.push(['non-UUID', 'not-a-uuid'], ['nil UUID', '00000000-0000-0000-0000-000000000000'], ['UUID of another client', OTHER_UUID_PLACEHOLDER], ['UUID with NUL', '7b0b3f8e-9d0c-4a8e-8f11-0c2d5c1e9a01\u0000']);
  }
  if (f.checks.has('isDateString') || f.checks.has('isIso8601')) {
    specific.push(['Feb 30', '2026-02-30'], ['year 0', '0000-01-01'], ['far future', '275760-09-13'], ['year 9999', '9999-12-31'], ['with time', '2026-01-01T00:00:00Z']);
  }
  if (f.checks.has('isEmail')) specific.push(['long email', `${'a'.repeat(300)}@example.com`], ['no domain', 'admin@'], ['surrogate email', 'a\uDC00@example.com']);
  if (f.values) specific.push(['unknown enum value', 'NOT_A_VALUE'], ['enum in capitals', f.values[0].toUpperCase() + 'X']);
  if (f.checks.has('isArray')) specific.push(['too many', Array.from({ length: 1001 }, () => '7b0b3f8e-9d0c-4a8e-8f11-0c2d5c1e9a01')], ['comma list', 'a,b'], ['array of arrays', [[1]]]);
  if (f.checks.has('isInt')) specific.push(['float', 1.5], ['numeric string', '1'], ['huge int', new Raw('1e400')]);
  return [...specific, ...common];
}

/** Deterministic shuffle, so each run (and each role) walks the same cases and a failure reproduces. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
