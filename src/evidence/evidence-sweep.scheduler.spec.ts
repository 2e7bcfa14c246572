import { jest } from '@jest/globals';

import type { AppConfig } from 'src/config/app-config';
import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';
import { EvidenceSweepScheduler } from 'src/evidence/evidence-sweep.scheduler';

const HOUR = 60 * 60 * 1000;

describe('EvidenceSweepScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const setup = (hours: number, sweep: () => Promise<string[] | null>) => {
    const integrity = { sweep: jest.fn(sweep), removeStaleTempFiles: jest.fn(async () => 0) } as unknown as EvidenceIntegrityService & {
      sweep: jest.Mock;
      removeStaleTempFiles: jest.Mock;
    };
    const scheduler = new EvidenceSweepScheduler(integrity, { evidenceSweepHours: hours } as AppConfig);
    return { integrity, scheduler };
  };

  it('sweeps every EVIDENCE_SWEEP_HOURS and stops on shutdown', async () => {
    const { integrity, scheduler } = setup(6, async () => ['a']);
    await scheduler.onApplicationBootstrap();
    expect(integrity.removeStaleTempFiles).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(6 * HOUR - 1);
    expect(integrity.sweep).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(integrity.sweep).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(6 * HOUR);
    expect(integrity.sweep).toHaveBeenCalledTimes(2);
    scheduler.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(24 * HOUR);
    expect(integrity.sweep).toHaveBeenCalledTimes(2);
  });

  it('is off with 0 hours, and survives a failing sweep', async () => {
    const off = setup(0, async () => []);
    await off.scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100 * HOUR);
    expect(off.integrity.sweep).not.toHaveBeenCalled();
    // Crash leftovers go on start even when the scheduled sweep is off.
    expect(off.integrity.removeStaleTempFiles).toHaveBeenCalledTimes(1);

    const failing = setup(1, async () => {
      throw new Error('store unreachable');
    });
    await expect(failing.scheduler.tick()).resolves.toBeUndefined();
  });
});
