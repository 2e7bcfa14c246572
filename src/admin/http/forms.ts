import { BadRequestException, Body, HttpException, HttpStatus, Injectable, PipeTransform, Query } from '@nestjs/common';

import { createValidationPipe } from 'src/common/validation';

/** Messages per form field; `_form` holds what belongs to no single field. */
export type FieldErrors = Record<string, string>;

const pipe = createValidationPipe();

/** Form bodies are strings; an empty field means "not given". */
export type FormBody = Record<string, string | string[] | undefined>;

/**
 * Makes whatever arrived as a form into a FormBody, or refuses it with 400: a post without a body (or of a type no
 * parser read, such as multipart) is an empty form, and a JSON body is accepted only when it has a form's shape
 * (strings, or lists of strings for repeated fields). The page services can then read every field as text.
 */
@Injectable()
export class FormBodyPipe implements PipeTransform<unknown, FormBody> {
  transform(value: unknown): FormBody {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new BadRequestException('Expected form fields (application/x-www-form-urlencoded)');
    for (const [name, v] of Object.entries(value)) {
      if (typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
        throw new BadRequestException(`Form field ${name} must be text`);
      }
    }
    return value as FormBody;
  }
}

/** The body of a UI form post, as a FormBody (see FormBodyPipe). */
export const FormFields = () => Body(FormBodyPipe);

/** The query string of a UI page, as a FormBody (see FormBodyPipe). */
export const FormQuery = () => Query(FormBodyPipe);

export const field = (body: FormBody, name: string): string | undefined => {
  const v = body[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

export const fields = (body: FormBody, name: string): string[] => {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((s) => s.trim() !== '');
};

/** Drops keys whose value is undefined (so "not given" stays absent for the DTO). */
export const compact = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Validates `plain` with the feature's own DTO class and the API's global validation rules, so the UI accepts
 * exactly what the API accepts. Returns the DTO, or the messages per field.
 */
export async function validateForm<T extends object>(cls: new () => T, plain: object): Promise<{ dto: T; errors?: undefined } | { dto?: undefined; errors: FieldErrors }> {
  try {
    return { dto: (await pipe.transform(plain, { type: 'body', metatype: cls })) as T };
  } catch (e) {
    if (!(e instanceof BadRequestException)) throw e;
    return { errors: errorsOf(e) };
  }
}

/**
 * A refusal from a feature service (400, 403, 404, 409, 422) as form errors, on the field it is about (`fieldName`,
 * or a function of the message). Anything else (5xx, 401, unknown errors) is rethrown for the error page.
 */
export function serviceErrors(e: unknown, fieldName: string | ((message: string) => string) = '_form'): FieldErrors {
  if (!(e instanceof HttpException) || e.getStatus() >= 500 || e.getStatus() === HttpStatus.UNAUTHORIZED) throw e;
  return errorsOf(e, fieldName);
}

function errorsOf(e: HttpException, fallback: string | ((message: string) => string) = '_form'): FieldErrors {
  const r = e.getResponse() as { message?: string | string[]; details?: { field: string; messages: string[] }[] } | string;
  if (typeof r === 'object' && Array.isArray(r.details) && r.details.length > 0) {
    const errors: FieldErrors = {};
    for (const d of r.details) {
      const name = d.field.split('.').pop() ?? d.field;
      errors[name] = [errors[name], ...d.messages].filter(Boolean).join('; ');
    }
    return errors;
  }
  const m = typeof r === 'string' ? r : r.message;
  const message = Array.isArray(m) ? m.join('; ') : (m ?? e.message);
  return { [typeof fallback === 'function' ? fallback(message) : fallback]: message };
}

/** The status a page answers with when it shows form errors. */
export const statusOf = (e: unknown) => (e instanceof HttpException ? e.getStatus() : HttpStatus.BAD_REQUEST);
