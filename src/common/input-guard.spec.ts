import { findInputProblem, MAX_INPUT_DEPTH } from 'src/common/input-guard';

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });

describe('findInputProblem', () => {
  it.each([
    ['plain text', { name: 'Acme', tags: ['a', 'b'], n: 1, ok: true, none: null }],
    ['paired surrogates (emoji)', { name: 'Acme \u{1F600}' }],
    ['non-Latin text', { name: 'Ünïcödé 日本 עברית' }],
    ['nesting at the limit', nested(MAX_INPUT_DEPTH)],
  ])('accepts %s', (_label, value) => {
    expect(findInputProblem(value)).toBeUndefined();
  });

  it.each([
    ['NUL in a value', { name: 'a\u0000b' }, 'name'],
    ['a lone high surrogate', { name: 'x\uD800' }, 'name'],
    ['a lone low surrogate', { list: ['ok', '\uDC00'] }, 'list[1]'],
    ['a surrogate pair reversed', { name: '\uDE00\uD83D' }, 'name'],
    ['NUL in a key', { 'a\u0000': 'x' }, 'a\u0000'],
    ['a __proto__ key', JSON.parse('{"__proto__":{"isAdmin":true}}'), '__proto__'],
    ['a nested constructor key', { filter: { constructor: { prototype: {} } } }, 'filter.constructor'],
    ['nesting past the limit', nested(MAX_INPUT_DEPTH + 1), undefined],
    ['a bare NUL string', '\u0000', 'value'],
  ])('refuses %s', (_label, value, field) => {
    const problem = findInputProblem(value);
    expect(problem).toBeDefined();
    if (field !== undefined) expect(problem!.field).toBe(field);
  });

  it('walks 100 000 levels without exhausting the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(findInputProblem(deep, 'body')).toEqual({ field: expect.any(String), message: `Input is nested deeper than ${MAX_INPUT_DEPTH} levels` });
  });
});
