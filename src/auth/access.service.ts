import { Injectable, NotFoundException } from '@nestjs/common';

import { AccessRepository } from 'src/auth/access.repository';
import { AuthContext } from 'src/auth/auth-context';

@Injectable()
export class AccessService {
  constructor(private readonly repo: AccessRepository) {}

  /**
   * Resolves the caller's role in a client. A client that does not exist and a client the caller is not a member of
   * (admins excepted) are the same 404, so ids never reveal that a client exists.
   */
  async requireClient(auth: AuthContext, clientId: string): Promise<AuthContext> {
    const { exists, role } = await this.repo.findClientRole(clientId, auth.userId);
    if (!exists || (role === null && !auth.isAdmin)) throw new NotFoundException('Client not found');
    return auth.withClient(clientId, role);
  }

  /** A user's role in a client, or null. */
  async roleOf(clientId: string, userId: string) {
    return (await this.repo.findClientRole(clientId, userId)).role;
  }
}
