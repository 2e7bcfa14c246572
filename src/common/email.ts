import { Transform } from 'class-transformer';
import { IsEmail, Matches, MaxLength } from 'class-validator';

/**
 * The one email rule, for sign-in, users, invitations and ADMIN_EMAIL alike. Addresses without a top-level domain
 * are real (`admin@localhost`, the first-run default; intranet hosts), so no TLD is required; everything else of an
 * address is still checked (one @, a valid local part, a valid host name, no display name, no IP literal).
 */
export const EMAIL_RULE: NonNullable<Parameters<typeof IsEmail>[0]> = { require_tld: false, allow_display_name: false, allow_ip_domain: false };

/** RFC 5321's limit on a forward path. */
export const EMAIL_MAX_LENGTH = 254;

/** Emails are compared trimmed and lowercased everywhere (the database also checks `email = lower(email)`). */
export const normalizeEmail = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** class-validator rules of the email rule: normalised, then checked. `message` names the field for people. */
export const IsAccountEmail = (message = 'email must be an email address'): PropertyDecorator => {
  const decorators = [
    Transform(({ value }) => normalizeEmail(value)),
    // A lone surrogate is no character at all (and PostgreSQL refuses to store it): not an address.
    Matches(/^\P{Cs}*$/u, { message }),
    IsEmail(EMAIL_RULE, { message }),
    MaxLength(EMAIL_MAX_LENGTH, { message }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};
