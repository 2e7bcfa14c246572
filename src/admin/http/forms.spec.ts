import { BadRequestException } from '@nestjs/common';

import { FormBodyPipe } from 'src/admin/http/forms';

describe('FormBodyPipe', () => {
  const pipe = new FormBodyPipe();

  it('treats a post without a body as an empty form', () => {
    expect(pipe.transform(undefined)).toEqual({});
  });

  it('keeps text fields and repeated fields', () => {
    expect(pipe.transform({ name: 'Acme', ids: ['a', 'b'] })).toEqual({ name: 'Acme', ids: ['a', 'b'] });
  });

  it.each([
    ['a JSON array', [1, 2]],
    ['a JSON string', 'text'],
    ['a nested object', { name: { a: 1 } }],
    ['a number', { name: 1 }],
    ['a list with a non-text item', { ids: ['a', 1] }],
  ])('refuses %s', (_label, value) => {
    expect(() => pipe.transform(value)).toThrow(BadRequestException);
  });
});
