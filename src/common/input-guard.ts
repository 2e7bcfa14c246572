import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Deepest nesting of objects and arrays a request may carry. Our deepest DTO (bulk control changes: body -> filter
 * -> value) is 3 levels; the margin is for arrays of ids and future shapes. Bounding it before anything walks the
 * value keeps recursive code (class-transformer, class-validator, loggers) from exhausting the stack.
 */
export const MAX_INPUT_DEPTH = 16;

/**
 * Text PostgreSQL cannot store (NUL) or that is not Unicode (a UTF-16 surrogate without its pair, which cannot be
 * encoded as UTF-8). With the `u` flag, `\p{Cs}` matches only unpaired surrogates: a pair is one code point.
 */
const INVALID_TEXT = /[\0\p{Cs}]/u;

/** Keys no field of ours is named after, and that only mean trouble for code that copies objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface InputProblem {
  field: string;
  message: string;
}

/**
 * The first reason `value` (a parsed body, query, path params or form fields) must be refused before any code
 * reads it, or undefined. Iterative, so a hostile value cannot exhaust the stack here either.
 */
export function findInputProblem(value: unknown, root = ''): InputProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    const name = path || 'value';
    if (typeof v === 'string') {
      if (INVALID_TEXT.test(v)) return { field: name, message: `${name} must not contain NUL characters or unpaired surrogates` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: name, message: `Input is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    for (const key of Object.keys(v)) {
      const child = Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return { field: child, message: `${child}: the key "${key}" is not allowed` };
      if (INVALID_TEXT.test(key)) return { field: child, message: `A field name must not contain NUL characters or unpaired surrogates` };
      stack.push({ value: (v as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The 400 for a problem, in the validation pipe's shape (message plus per-field details). */
export const inputProblemException = (p: InputProblem) =>
  new BadRequestException({ message: p.message, details: [{ field: p.field, messages: [p.message] }] });

/**
 * Refuses hostile bodies and query strings right after the body parsers, before guards (the sign-in limiter keys on
 * the email) or anything else reads them. Path parameters and multipart fields are checked by the validation pipe.
 */
export function rejectHostileInput(req: Request, _res: Response, next: NextFunction): void {
  const problem = findInputProblem(req.body, 'body') ?? findInputProblem(req.query, 'query');
  next(problem ? inputProblemException(problem) : undefined);
}
