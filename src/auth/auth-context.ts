import { Permission, Role, ROLE_PERMISSIONS } from 'src/auth/permission';

/** Account flags the guard and services decide on, read from the user on every request. */
export interface AccountFlags {
  /** Signed in with a one-time password: only the password change (and reading oneself) is allowed. */
  readonly passwordChangeRequired?: boolean;
  /** An admin allowed this user to create clients. */
  readonly canCreateClients?: boolean;
}

/** Who is calling, put on the request by the AuthGuard. `role` is the caller's role in the route's client, if any. */
export class AuthContext {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly isAdmin: boolean,
    readonly role: Role | null = null,
    readonly clientId: string | null = null,
    readonly flags: AccountFlags = {},
  ) {}

  /** Admins may do everything; others what their role in this client allows. */
  can(permission: Permission): boolean {
    return this.isAdmin || (this.role !== null && ROLE_PERMISSIONS[this.role].includes(permission));
  }

  /** The one rule for opening a client (SPEC 4): admins, and users an admin allowed. */
  get mayCreateClients(): boolean {
    return this.isAdmin || this.flags.canCreateClients === true;
  }

  get passwordChangeRequired(): boolean {
    return this.flags.passwordChangeRequired === true;
  }

  withClient(clientId: string, role: Role | null): AuthContext {
    return new AuthContext(this.userId, this.email, this.isAdmin, role, clientId, this.flags);
  }
}
