import { Inject, Injectable } from '@nestjs/common';

import { BreakReason, checkLink, genesisHash } from 'src/audit/audit-chain';
import { AUDIT_HMAC_KEY } from 'src/audit/audit-key';
import { AuditRepository } from 'src/audit/audit.repository';

export interface ChainBreak {
  /** The position that does not hold (for `missing`: the position expected; null for an unchained event). */
  position: number | null;
  /** The event found there. */
  eventId: string;
  reason: BreakReason;
}

export interface ChainReport {
  /** null: the instance chain (users, tokens, first admin). */
  clientId: string | null;
  clientName: string | null;
  checked: number;
  head: { position: number; hash: string } | null;
  firstBreak: ChainBreak | null;
}

export interface AuditVerification {
  ok: boolean;
  /** Events recorded before chaining began: not verifiable, not a break. */
  unchained: number;
  chains: ChainReport[];
}

const PAGE = 1000;

/** Re-reads every chain and checks each link: position, previous hash, content hash and the key's seal. */
@Injectable()
export class AuditVerifyService {
  constructor(
    private readonly repo: AuditRepository,
    @Inject(AUDIT_HMAC_KEY) private readonly key: string,
  ) {}

  async verify(): Promise<AuditVerification> {
    const [summaries, unchained] = await Promise.all([this.repo.findChains(), this.repo.findUnchained()]);
    const chains: ChainReport[] = [];
    for (const s of summaries) chains.push({ ...(await this.verifyChain(s.clientId)), clientName: s.clientName });
    // Unchained events after chaining began exist only if someone removed the check constraint and wrote around us.
    for (const stray of unchained.after) {
      let chain = chains.find((c) => c.clientId === stray.clientId);
      if (!chain) chains.push((chain = { clientId: stray.clientId, clientName: null, checked: 0, head: null, firstBreak: null }));
      chain.firstBreak ??= { position: null, eventId: stray.id, reason: 'unchained' };
    }
    return { ok: chains.every((c) => !c.firstBreak), unchained: unchained.before, chains };
  }

  private async verifyChain(clientId: string | null): Promise<Omit<ChainReport, 'clientName'>> {
    let expected = { seq: 1, prevHash: genesisHash(clientId) };
    let checked = 0;
    let head: ChainReport['head'] = null;
    let firstBreak: ChainBreak | null = null;
    for (let after = 0; ; ) {
      const events = await this.repo.findChainEvents(clientId, after, PAGE);
      for (const e of events) {
        checked++;
        const reason: BreakReason | null = firstBreak ? null : checkLink(this.key, e, expected);
        // A missing position is reported where it was expected, with the event found in its place.
        if (reason) firstBreak = { position: reason === 'missing' ? expected.seq : e.seq, eventId: e.id, reason };
        expected = { seq: e.seq + 1, prevHash: e.hash };
        head = { position: e.seq, hash: e.hash };
      }
      if (events.length < PAGE) break;
      after = events[events.length - 1].seq;
    }
    return { clientId, checked, head, firstBreak };
  }
}
