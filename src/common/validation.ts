import { applyDecorators, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

import { EMAIL_MAX_LENGTH, IsAccountEmail } from 'src/common/email';

function flatten(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The global pipe: unknown fields rejected, types transformed, one readable message plus per-field details. */
export const createValidationPipe = () =>
  new ValidationPipe({
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

type Opt = { optional?: boolean; description?: string };

const maybeOptional = (optional: boolean | undefined, ...decorators: PropertyDecorator[]) =>
  optional ? applyDecorators(IsOptional(), ...decorators) : applyDecorators(...decorators);

const api = (o: Opt, extra: Record<string, unknown> = {}) =>
  o.optional ? ApiPropertyOptional({ description: o.description, ...extra }) : ApiProperty({ description: o.description, ...extra });

export const ValidateUUID = (o: Opt = {}) =>
  maybeOptional(o.optional, IsUUID('all', { message: ({ property }) => `${property} must be a UUID` }), api(o, { format: 'uuid' }));

/** An email address under the one email rule (src/common/email.ts), trimmed and lowercased. */
export const ValidateEmail = (o: Opt = {}) =>
  maybeOptional(o.optional, IsAccountEmail(), api(o, { maxLength: EMAIL_MAX_LENGTH, example: 'admin@localhost', description: o.description ?? 'An email address; a top-level domain is not required' }));

export const ValidateString = (o: Opt & { min?: number; max: number }) =>
  maybeOptional(
    o.optional,
    IsString(),
    MinLength(o.min ?? 1),
    MaxLength(o.max),
    api(o, { minLength: o.min ?? 1, maxLength: o.max }),
  );

export const ValidateEnum = (o: Opt & { enum: object; name: string }) =>
  maybeOptional(o.optional, IsEnum(o.enum), api(o, { enum: o.enum, enumName: o.name }));

export const ValidateDate = (o: Opt = {}) =>
  maybeOptional(o.optional, IsDateString({ strict: true }, { message: ({ property }) => `${property} must be a date (YYYY-MM-DD)` }), api(o, { format: 'date' }));

/** Query-string booleans: only `true` and `false` are accepted. */
export const ValidateBooleanQuery = (o: Opt = {}) =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
    ApiPropertyOptional({ type: Boolean, description: o.description }),
  );

/** Query-string integers in a range. */
export const ValidateIntQuery = (o: Opt & { min: number; max: number; default?: number }) =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt({ message: ({ property }) => `${property} must be an integer` }),
    Min(o.min),
    Max(o.max),
    ApiPropertyOptional({ type: Number, minimum: o.min, maximum: o.max, default: o.default, description: o.description }),
  );
