import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/** argon2id with the library's defaults (64 MiB, 3 passes): memory-hard, as SPEC 4 asks. */
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export const verifyPassword = async (hash: string, password: string) => {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
};

/** A password for a first admin or an invited user, shown once. */
export const generatePassword = () => randomBytes(18).toString('base64url');

/** A hash to verify against when no user matches, so that timing does not tell whether an email exists. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword(generatePassword()));
