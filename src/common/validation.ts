import { applyDecorators, ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsEnum, IsInt, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

import { findInputProblem, inputProblemException } from 'src/common/input-guard';

import { EMAIL_MAX_LENGTH, IsAccountEmail } from 'src/common/email';

function flatten(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The global pipe: unknown fields rejected, types transformed, one readable message plus per-field details. Before
 * the DTO rules it refuses what no DTO should ever see (NUL, unpaired surrogates, deep nesting, `__proto__` keys) in
 * every body, query and path parameter, and in the values services validate themselves (multipart and form fields),
 * which the request-level check in src/common/input-guard.ts cannot reach.
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = findInputProblem(value);
      if (problem) throw inputProblemException(problem);
    }
    return super.transform(value, metadata);
  }
}

export const createValidationPipe = (): ValidationPipe =>
  new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({ message: details.flatMap((d) => d.messages).join('; '), details });
    },
  });

/**
 * "May be absent": the field's rules are skipped when it is not given, and apply to everything else, `null`
 * included. class-validator's IsOptional also lets `null` through, which services do not expect: use this instead.
 */
export const OptionalField = () => ValidateIf((_o, v) => v !== undefined);

/**
 * "May be absent or null": only for fields whose `null` means something (clearing an owner, a due date, notes).
 * Document them `nullable: true` in OpenAPI.
 */
export const NullableField = () => ValidateIf((_o, v) => v !== undefined && v !== null);

type Opt = { optional?: boolean; nullable?: boolean; description?: string };

const maybeOptional = (o: Opt, ...decorators: PropertyDecorator[]) =>
  o.nullable ? applyDecorators(NullableField(), ...decorators) : o.optional ? applyDecorators(OptionalField(), ...decorators) : applyDecorators(...decorators);

const api = (o: Opt, extra: Record<string, unknown> = {}) => {
  const opts = { description: o.description, ...(o.nullable ? { nullable: true } : {}), ...extra };
  return o.optional || o.nullable ? ApiPropertyOptional(opts) : ApiProperty(opts);
};

export const ValidateUUID = (o: Opt = {}) =>
  maybeOptional(o, IsUUID('all', { message: ({ property }) => `${property} must be a UUID` }), api(o, { format: 'uuid' }));

/** An email address under the one email rule (src/common/email.ts), trimmed and lowercased. */
export const ValidateEmail = (o: Opt = {}) =>
  maybeOptional(o, IsAccountEmail(), api(o, { maxLength: EMAIL_MAX_LENGTH, example: 'admin@localhost', description: o.description ?? 'An email address; a top-level domain is not required' }));

export const ValidateString = (o: Opt & { min?: number; max: number }) =>
  maybeOptional(
    o,
    IsString(),
    MinLength(o.min ?? 1),
    MaxLength(o.max),
    api(o, { minLength: o.min ?? 1, maxLength: o.max }),
  );

export const ValidateEnum = (o: Opt & { enum: object; name: string }) =>
  maybeOptional(o, IsEnum(o.enum), api(o, { enum: o.enum, enumName: o.name }));

export const ValidateDate = (o: Opt = {}) =>
  maybeOptional(o, IsDateString({ strict: true }, { message: ({ property }) => `${property} must be a date (YYYY-MM-DD)` }), api(o, { format: 'date' }));

/** Query-string booleans: only `true` and `false` are accepted. */
export const ValidateBooleanQuery = (o: Opt = {}) =>
  applyDecorators(
    OptionalField(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
    ApiPropertyOptional({ type: Boolean, description: o.description }),
  );

/** Query-string integers in a range. */
export const ValidateIntQuery = (o: Opt & { min: number; max: number; default?: number }) =>
  applyDecorators(
    OptionalField(),
    Type(() => Number),
    IsInt({ message: ({ property }) => `${property} must be an integer` }),
    Min(o.min),
    Max(o.max),
    ApiPropertyOptional({ type: Number, minimum: o.min, maximum: o.max, default: o.default, description: o.description }),
  );
