import { Permission, Role, ROLE_PERMISSIONS } from 'src/auth/permission';

/** Who is calling, put on the request by the AuthGuard. `role` is the caller's role in the route's client, if any. */
export class AuthContext {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly isAdmin: boolean,
    readonly role: Role | null = null,
    readonly clientId: string | null = null,
  ) {}

  /** Admins may do everything; others what their role in this client allows. */
  can(permission: Permission): boolean {
    return this.isAdmin || (this.role !== null && ROLE_PERMISSIONS[this.role].includes(permission));
  }

  withClient(clientId: string, role: Role | null): AuthContext {
    return new AuthContext(this.userId, this.email, this.isAdmin, role, clientId);
  }
}
