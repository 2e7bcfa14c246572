import { BadRequestException } from '@nestjs/common';
import { IsString } from 'class-validator';

import { createValidationPipe, NullableField, OptionalField, ValidateString } from 'src/common/validation';

class Sample {
  @ValidateString({ max: 10, optional: true })
  name?: string;

  @ValidateString({ max: 10, nullable: true })
  notes?: string | null;

  @OptionalField()
  @IsString()
  code?: string;

  @NullableField()
  @IsString()
  owner?: string | null;
}

const pipe = createValidationPipe();
const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Sample });

describe('createValidationPipe', () => {
  it('lets optional fields be absent and nullable fields be null', async () => {
    await expect(body({})).resolves.toEqual({});
    await expect(body({ notes: null, owner: null })).resolves.toEqual({ notes: null, owner: null });
  });

  it.each([['name'], ['code']])('refuses null in the optional field %s', async (field) => {
    await expect(body({ [field]: null })).rejects.toBeInstanceOf(BadRequestException);
  });

  it.each([
    ['NUL', { name: 'a\u0000' }],
    ['a lone surrogate', { notes: '\uD800' }],
    ['a __proto__ key', JSON.parse('{"__proto__":{"x":1}}')],
  ])('refuses %s in a body before the DTO rules', async (_label, value) => {
    await expect(body(value)).rejects.toMatchObject({ response: { message: expect.stringMatching(/NUL|__proto__/) } });
  });

  it('checks path parameters and queries too, whatever their type', async () => {
    await expect(pipe.transform({ id: 'x\u0000' }, { type: 'param', metatype: Object })).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ q: ['\uDFFF'] }, { type: 'query', metatype: Object })).rejects.toBeInstanceOf(BadRequestException);
  });

  it('leaves values of custom decorators (the caller) alone', async () => {
    const caller = { id: 'x\u0000' };
    await expect(pipe.transform(caller, { type: 'custom', metatype: Object })).resolves.toBe(caller);
  });
});
