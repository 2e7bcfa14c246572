import { jest } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { EvidenceObjectsRepository } from 'src/evidence/evidence-objects.repository';
import { EvidenceStoreService } from 'src/evidence/evidence-store.service';
import type { EvidenceStorage } from 'src/evidence/storage/evidence-storage';

const SHA = 'a'.repeat(64);
const tx = {} as EntityManager;

/** Strict: a call nobody stubbed throws, so the test states every interaction it relies on. */
function strict<T extends object>(impl: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(impl, {
    get: (target, prop) => {
      if (prop in target) return target[prop as keyof T];
      if (prop === 'then') return undefined;
      throw new Error(`unexpected call: ${String(prop)}`);
    },
  }) as T;
}

describe('EvidenceStoreService', () => {
  const setup = (over: { put?: () => Promise<void>; exists?: boolean; pendingStillThere?: boolean } = {}) => {
    const calls: string[] = [];
    const objects = strict<EvidenceObjectsRepository>({
      transaction: jest.fn(async (fn: (t: EntityManager) => Promise<unknown>) => fn(tx)),
      lockHash: jest.fn(async () => void calls.push('lock')),
      insertPending: jest.fn(async () => (calls.push('announce'), 'pending-1')),
      deletePending: jest.fn(async () => (calls.push('withdraw'), over.pendingStillThere ?? true)),
      keepAliveWhileWaiting: jest.fn(async () => undefined),
    });
    const storage = strict<EvidenceStorage>({
      put: jest.fn(async () => (calls.push('put'), over.put?.())),
      exists: jest.fn(async () => (calls.push('exists'), over.exists ?? true)),
    });
    return { service: new EvidenceStoreService(objects, storage), calls };
  };

  it('announces under the lock before storing', async () => {
    const { service, calls } = setup();
    await expect(service.hold(SHA, '/tmp/x', 3)).resolves.toEqual({ sha256: SHA, pendingId: 'pending-1' });
    expect(calls).toEqual(['lock', 'announce', 'put']);
  });

  it('withdraws the announcement when storing fails', async () => {
    const { service, calls } = setup({ put: async () => Promise.reject(new Error('disk full')) });
    await expect(service.hold(SHA, '/tmp/x', 3)).rejects.toThrow('disk full');
    expect(calls).toEqual(['lock', 'announce', 'put', 'withdraw']);
  });

  it('confirms without asking the store while its announcement stands', async () => {
    const { service, calls } = setup();
    await service.confirm(tx, { sha256: SHA, pendingId: 'pending-1' });
    expect(calls).toEqual(['lock', 'withdraw']);
  });

  it('asks the store, under the lock, once its announcement expired; refuses if the bytes are gone', async () => {
    const present = setup({ pendingStillThere: false, exists: true });
    await present.service.confirm(tx, { sha256: SHA, pendingId: 'p' });
    expect(present.calls).toEqual(['lock', 'withdraw', 'exists']);
    const gone = setup({ pendingStillThere: false, exists: false });
    await expect(gone.service.confirm(tx, { sha256: SHA, pendingId: 'p' })).rejects.toBeInstanceOf(ServiceUnavailableException);
  });
});
